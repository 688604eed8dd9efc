import type { Candidate } from '../dal/datanode-repository';
import { isLive } from '../domain/datanode-info';
import type { Block, Location } from '../domain/located-blocks';
import { isSharedStorage } from '../domain/storage';
import type { OpContext } from '../tx/op-context';
import type { WriteContext } from '../tx/tx-contexts';
import { liveAfter } from './block-ops-support';
import type { FileBlocks } from './file-blocks';

/** Whether a block under construction is being written to shared storage (its pipeline is gateways). */
export function onSharedStorage(fb: FileBlocks, last: Block): boolean {
  const pipeline = fb.pipeline.get(last.blockId) ?? [];
  return pipeline.length > 0 && pipeline.every((l) => isSharedStorage(l.storageType));
}

/**
 * A last block under construction on shared storage whose pipeline's
 * gateways are all dead (the writer's gateway killed, or never answering):
 * its bytes are whatever reached the store, which every gateway reaches,
 * so any live gateway can recover it. Undefined when the block is not in
 * that state (on local disks, or a gateway of its pipeline still live).
 */
export function strandedOnSharedStorage(ctx: OpContext, tx: WriteContext, fb: FileBlocks, last: Block): readonly Location[] | undefined {
  if (!onSharedStorage(fb, last)) return undefined;
  const pipeline = fb.pipeline.get(last.blockId) ?? [];
  const cutoff = liveAfter(ctx, tx.now);
  return pipeline.some((l) => isLive(l.datanode, cutoff)) ? undefined : pipeline;
}

/** Live storages of the shared store, one per gateway, in random order: who can stand in for a dead gateway. */
async function liveGatewayStorages(ctx: OpContext, tx: WriteContext, random: () => number = Math.random): Promise<Candidate[]> {
  const live = await tx.run(tx.dal.datanodes.findLiveStorages(liveAfter(ctx, tx.now)));
  const byNode = new Map(live.filter((c) => isSharedStorage(c.storageType)).map((c) => [c.datanode.uuid, c]));
  const gateways = [...byNode.values()];
  for (let i = gateways.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [gateways[i], gateways[j]] = [gateways[j] as Candidate, gateways[i] as Candidate];
  }
  return gateways;
}

/** Live gateways of the shared storage (uuids), in random order. */
export async function liveGateways(ctx: OpContext, tx: WriteContext): Promise<string[]> {
  return (await liveGatewayStorages(ctx, tx)).map((c) => c.datanode.uuid);
}

/**
 * Who continues the last block of a file reopened for append: its live
 * copies; with none (its gateway dead: a dead datanode's copies are
 * forgotten), one live gateway of the shared storage, as a reader is
 * offered one (shared-gateways.ts): it finds the block's object in the
 * store, or fails the append as a missing block would.
 */
export async function appendHolders(ctx: OpContext, tx: WriteContext, live: readonly Location[]): Promise<readonly Location[]> {
  if (live.length > 0) return live;
  const [gateway] = await liveGatewayStorages(ctx, tx);
  return gateway ? [{ datanode: gateway.datanode, storageId: gateway.storageId, storageType: gateway.storageType }] : live;
}
