import type { BlockStore, ReplicaInfo } from './block-store';

/**
 * The replica a reader asks for: what the store holds, or — on shared
 * storage — the block as another gateway stored it, so any gateway can
 * serve any block of the store.
 */
export async function findReplica(store: BlockStore, blockId: number, generationStamp: number, minBytes = 0): Promise<ReplicaInfo | undefined> {
  const held = store.get(blockId);
  if ((held && held.generationStamp >= generationStamp) || !store.lookup) return held;
  return (await store.lookup(blockId, generationStamp, minBytes)) ?? held;
}
