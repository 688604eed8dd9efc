import type { BlockStore } from './block-store';
import { LocalBlockStore } from './local-block-store';

/** The kinds of block store a datanode can be started with (`--block-store`). */
export const BLOCK_STORE_KINDS = ['local'] as const;
export type BlockStoreKind = (typeof BLOCK_STORE_KINDS)[number];

/** Opens the configured store; the local one keeps its replicas under the data dir. */
export async function openBlockStore(kind: BlockStoreKind, dataDir: string): Promise<BlockStore> {
  switch (kind) {
    case 'local':
      return LocalBlockStore.open(dataDir);
  }
}
