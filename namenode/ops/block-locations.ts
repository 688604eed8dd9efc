import type { LocatedBlocks } from '../domain/located-blocks';
import { isFile } from '../dal/inode-row';
import { fileNotFound, illegalArgument } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTargetWithBlocks } from './resolve-target';
import { liveAfter } from '../blocks/block-ops-support';
import { assembleFileBlocks, locatedBlocks } from '../blocks/file-blocks';
import type { OpContext } from '../tx/op-context';
import { wantsGateways, withSharedGateways } from '../blocks/shared-gateways';
import { staleIntervalMs, staleLast } from '../blocks/stale-datanodes';

/**
 * open(): where the bytes of [offset, offset+length) live. With a warm hint
 * cache one round trip, shared with the concurrent calls: the path's rows
 * and a closed file's blocks and replicas in one statement. A file open for
 * writing (its pipeline), or a coherent cache serving the rows, takes the
 * coalesced block read after the lookup.
 */
export function getBlockLocations(ctx: OpContext, caller: Caller, src: string, offset: number, length: number): Promise<LocatedBlocks> {
  // Not async (the read's promise is the answer): a refused argument or path still answers a rejected promise.
  let path: HdfsPath;
  try {
    if (offset < 0) throw illegalArgument(`Negative offset is not supported. File: ${src}`);
    if (length < 0) throw illegalArgument(`Negative length is not supported. File: ${src}`);
    path = parsePath(src);
  } catch (err) {
    return Promise.reject(err);
  }
  return ctx.runner.read('getBlockLocations', async (r) => {
    const { target: file, blocks } = await resolveTargetWithBlocks(r, caller, path);
    if (!file) throw fileNotFound(`File does not exist: ${path.text}`);
    if (!isFile(file)) throw fileNotFound(`Path is not a file: ${path.text}`);
    checkAccess(caller, file, FsAction.READ, path.text);
    const now = Date.now();
    const heartbeatAfter = liveAfter(ctx, now);
    const withPipeline = file.ucClient !== null;
    // Else coalesced with the other getBlockLocations of this tick (one statement per table for all of them).
    const rows = blocks && !withPipeline ? blocks : await ctx.fileBlockReads.get({ inodeId: file.id, withPipeline });
    const fb = assembleFileBlocks(rows, heartbeatAfter);
    let located = locatedBlocks(file, fb, offset, length);
    // Blocks on shared storage (Swift): any live gateway serves them, so readers can fail over.
    if (located.blocks.some(wantsGateways) || (located.lastBlock && wantsGateways(located.lastBlock))) {
      located = withSharedGateways(located, await r.run(r.dal.datanodes.findLiveStorages(heartbeatAfter)));
    }
    // dfs.namenode.avoid.read.stale.datanode: a reader tries the locations in order.
    return ctx.config.avoidStaleDatanodeForRead ? staleLast(located, now - staleIntervalMs(ctx.config)) : located;
  });
}
