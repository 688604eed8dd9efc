import type { LocatedBlocks } from '../domain/located-blocks';
import { isFile } from '../dal/inode-row';
import { fileNotFound, illegalArgument } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTarget } from './resolve-target';
import { liveAfter } from '../blocks/block-ops-support';
import { assembleFileBlocks, locatedBlocks } from '../blocks/file-blocks';
import type { OpContext } from '../tx/op-context';
import { wantsGateways, withSharedGateways } from '../blocks/shared-gateways';
import { staleIntervalMs, staleLast } from '../blocks/stale-datanodes';

/** open(): where the bytes of [offset, offset+length) live. Two round trips with a warm cache, each shared with the concurrent calls. */
export async function getBlockLocations(ctx: OpContext, caller: Caller, src: string, offset: number, length: number): Promise<LocatedBlocks> {
  if (offset < 0) throw illegalArgument(`Negative offset is not supported. File: ${src}`);
  if (length < 0) throw illegalArgument(`Negative length is not supported. File: ${src}`);
  const path = parsePath(src);
  return ctx.runner.read('getBlockLocations', async (r) => {
    const file = await resolveTarget(r, caller, path);
    if (!file) throw fileNotFound(`File does not exist: ${path.text}`);
    if (!isFile(file)) throw fileNotFound(`Path is not a file: ${path.text}`);
    checkAccess(caller, file, FsAction.READ, path.text);
    const now = Date.now();
    const heartbeatAfter = liveAfter(ctx, now);
    // Coalesced with the other getBlockLocations of this tick (one statement per table for all of them).
    const fb = assembleFileBlocks(await ctx.fileBlockReads.get({ inodeId: file.id, withPipeline: file.ucClient !== null }), heartbeatAfter);
    let located = locatedBlocks(file, fb, offset, length);
    // Blocks on shared storage (Swift): any live gateway serves them, so readers can fail over.
    if (located.blocks.some(wantsGateways) || (located.lastBlock && wantsGateways(located.lastBlock))) {
      located = withSharedGateways(located, await r.run(r.dal.datanodes.findLiveStorages(heartbeatAfter)));
    }
    // dfs.namenode.avoid.read.stale.datanode: a reader tries the locations in order.
    return ctx.config.avoidStaleDatanodeForRead ? staleLast(located, now - staleIntervalMs(ctx.config)) : located;
  });
}
