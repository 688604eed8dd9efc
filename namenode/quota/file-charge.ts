import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import { effectiveStoragePolicy } from '../domain/storage-policies';
import { BlockState, type Block } from '../domain/located-blocks';
import { prefixText } from '../tx/path-resolver';
import type { HdfsPath } from '../path/hdfs-path';
import { usageOf, type Charge } from '../domain/quota';
import type { WriteContext } from '../tx/tx-contexts';
import { applyUsageDelta, type QuotaDir } from './usage-ledger';

/**
 * What a block counts against a storage-space quota, before replication:
 * a block being written counts at the file's preferred block size (HDFS
 * charges it in full at addBlock and gives back the rest when the length
 * is known), any other block its length.
 */
export const blockBytes = (b: Block, blockSize: number): number =>
  b.state === BlockState.UnderConstruction || b.state === BlockState.UnderRecovery ? Math.max(blockSize, b.numBytes) : b.numBytes;

/** A file's bytes as its blocks charge them. */
export const blocksBytes = (blocks: readonly Block[], blockSize: number): number => blocks.reduce((n, b) => n + blockBytes(b, blockSize), 0);

/** A file's bytes: a closed file's length, or (open) what its blocks charge. */
export const fileBytes = (file: InodeRow, blocks: readonly Block[] | undefined): number =>
  file.ucClient === null || !blocks ? file.length : blocksBytes(blocks, file.blockSize);

/** The charge of one inode: itself in the namespace, and a file's bytes at its replication. */
export function inodeCharge(row: InodeRow, storagePolicy: number, bytes = 0): Charge {
  return { namespace: 1, bytes: isFile(row) ? bytes : 0, replication: row.replication, storagePolicy };
}

/** The storage policy a file under `rows` (root first) lives under, its own first. */
export const policyUnder = (rows: readonly InodeRow[], own = 0): number => effectiveStoragePolicy([...rows.map((r) => r.storagePolicy), own]);

/**
 * The quota directories among `rows` (root first, rows[i] at depth i of
 * `path`), up to depth `upTo` included, deepest first.
 */
export function quotaDirsOf(rows: readonly InodeRow[], path: HdfsPath, upTo = rows.length - 1): QuotaDir[] {
  const out: QuotaDir[] = [];
  for (let i = Math.min(upTo, rows.length - 1); i >= 0; i--) {
    const r = rows[i] as InodeRow;
    if (r.hasQuota && isDirectory(r)) out.push({ id: r.id, path: prefixText(path, i) });
  }
  return out;
}

/**
 * A file's blocks changed from `before` to `after`: the quota directories
 * above it (`rows`, root first, the file last) are charged the difference
 * at the file's replication under its storage policy.
 */
export async function chargeBlocks(tx: WriteContext, rows: readonly InodeRow[], path: HdfsPath, file: InodeRow, before: readonly Block[], after: readonly Block[]): Promise<void> {
  const dirs = quotaDirsOf(rows, path, rows.length - 2);
  if (dirs.length === 0) return;
  const bytes = blocksBytes(after, file.blockSize) - blocksBytes(before, file.blockSize);
  await applyUsageDelta(tx, dirs, usageOf([{ namespace: 0, bytes, replication: file.replication, storagePolicy: policyUnder(rows) }]));
}
