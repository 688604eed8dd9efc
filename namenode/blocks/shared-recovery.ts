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

/** Live gateways of the shared storage (uuids), in random order: who can stand in for a dead writer's gateway. */
export async function liveGateways(ctx: OpContext, tx: WriteContext, random: () => number = Math.random): Promise<string[]> {
  const live = await tx.run(tx.dal.datanodes.findLiveStorages(liveAfter(ctx, tx.now)));
  const uuids = [...new Set(live.filter((c) => isSharedStorage(c.storageType)).map((c) => c.datanode.uuid))];
  for (let i = uuids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [uuids[i], uuids[j]] = [uuids[j] as string, uuids[i] as string];
  }
  return uuids;
}
