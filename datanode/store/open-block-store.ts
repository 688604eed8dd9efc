import { join } from 'node:path';
import type { BlockStore } from './block-store';
import { LocalBlockStore, type LocalStoreOptions } from './local-block-store';
import { SwiftBlockStore, type SwiftStoreOptions } from './swift-block-store';

/** The kinds of block store a datanode can be started with (`--block-store`). */
export const BLOCK_STORE_KINDS = ['local', 'swift'] as const;
export type BlockStoreKind = (typeof BLOCK_STORE_KINDS)[number];

/** What a Swift store needs beyond the data dir (its staging area is `<dataDir>/swift-staging`). */
export type SwiftSettings = Omit<SwiftStoreOptions, 'stagingDir'>;

/**
 * Opens the configured store; the local one keeps its replicas under the
 * data dir, fsyncing them at finalize only with `syncOnClose`
 * (dfs.datanode.synconclose, false by default as in HDFS), and running
 * replica file operations on the event loop unless `inlineWrites` is false.
 */
export async function openBlockStore(kind: BlockStoreKind, dataDir: string, swift?: SwiftSettings, o: LocalStoreOptions = {}): Promise<BlockStore> {
  switch (kind) {
    case 'local':
      return LocalBlockStore.open(dataDir, o);
    case 'swift':
      if (!swift) throw new Error('--block-store swift needs Swift settings (container and credentials)');
      return SwiftBlockStore.open({ ...swift, stagingDir: join(dataDir, 'swift-staging') });
  }
}
