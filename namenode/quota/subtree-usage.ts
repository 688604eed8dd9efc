import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import type { Block } from '../domain/located-blocks';
import { usageOf, type Charge, type QuotaDim } from '../domain/quota';
import { effectiveStoragePolicy } from '../domain/storage-policies';
import type { QueryRunner } from '../tx/tx-contexts';
import { fileBytes, inodeCharge } from './file-charge';

const OPEN_FILES_PER_ROUND_TRIP = 200;

/**
 * The usage of a subtree, every dimension, as HDFS's computeQuotaUsage
 * counts it: one namespace entry per inode, files at their replication
 * under their effective storage policy, open files' blocks being written
 * at the preferred block size. `rows` come root first, every row after its
 * parent (ops/subtree.ts's walk order); `policy` is the storage policy the
 * root lives under. Open files' blocks are read, 200 files a round trip.
 */
export async function usageOfRows(db: QueryRunner, rows: readonly InodeRow[], policy: number): Promise<Map<QuotaDim, number>> {
  const root = rows[0];
  if (!root) return new Map();
  const policies = new Map<number, number>([[root.id, policy]]);
  const open = rows.filter((r) => isFile(r) && r.ucClient !== null);
  const blocks = new Map<number, Block[]>();
  for (let i = 0; i < open.length; i += OPEN_FILES_PER_ROUND_TRIP) {
    const chunk = open.slice(i, i + OPEN_FILES_PER_ROUND_TRIP);
    const found = await db.runAll(chunk.map((f) => db.dal.blocks.findByInode(f.id)));
    chunk.forEach((f, j) => blocks.set(f.id, found[j] as Block[]));
  }
  const charges: Charge[] = rows.map((r) => {
    const own = r === root ? policy : effectiveStoragePolicy([policies.get(r.parentId) ?? 0, r.storagePolicy]);
    if (isDirectory(r)) policies.set(r.id, own);
    return inodeCharge(r, own, isFile(r) ? fileBytes(r, blocks.get(r.id)) : 0);
  });
  return usageOf(charges);
}
