import { COUNTER_BLOCK_ID, COUNTER_GENERATION_STAMP, COUNTER_INODE_ID } from '../../schema/counters';
import { BlockState, type Block } from '../../namenode/domain/located-blocks';
import type { MysqlConfig } from '../../schema/mysql-config';
import { ROOT_INODE_ID, ROOT_PARENT_ID } from '../../schema/tables';
import type { InodeRow } from '../../namenode/dal/inode-row';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { openSqlStorage, type SqlStorage } from '../../namenode/dal/sql/sql-storage';
import { newDirectory, newFile } from '../../namenode/ops/inode-factory';
import { parsePath } from '../../namenode/path/hdfs-path';

const ROWS_PER_STATEMENT = 1000;
const STATEMENTS_PER_ROUND_TRIP = 5;
const { inodes, counters, blocks } = sqlRepositories;

export interface BulkTreeOptions {
  /** Subdirectories d00000… of the parent; 0 puts the files in the parent itself. */
  readonly dirs: number;
  readonly filesPerDir: number;
  readonly user: string;
  /**
   * Complete blocks per file (default none: empty files), `blockBytes` each,
   * ids and one generation stamp from the namespace's counters; handed to
   * `onBlocks` as written (a block report simulator's datanodes hold them).
   */
  readonly blocksPerFile?: number;
  readonly blockBytes?: number;
  readonly onBlocks?: (blocks: readonly Block[]) => void;
}

/**
 * Bulk loader for big-tree tests and `bench:subtree --bulk`: closed empty
 * files (f00000…) under an existing directory, written as mkdirs and
 * create+complete write them — the namesystem's own row builders, ids
 * from the same counter, every parent's child count kept — but 1000 rows
 * a statement, so a 100,000-file tree takes seconds instead of the minutes
 * 200,000 client calls would. Rows are built and written a round trip's
 * worth at a time (memory stays flat at a million files). Answers the
 * number of inodes written. Not a namenode path: no quota directory above
 * the parent is charged (set quotas after loading).
 */
export async function bulkTree(mysql: MysqlConfig, parentPath: string, opts: BulkTreeOptions): Promise<number> {
  const storage = openSqlStorage(mysql, 2);
  try {
    const parent = await resolveDir(storage, parentPath);
    const total = opts.dirs + Math.max(1, opts.dirs) * opts.filesPerDir;
    const top = await storage.counters.run(counters.reserveRange(COUNTER_INODE_ID, total));
    const first = top - total + 1;
    const now = Date.now();
    const caller = { user: opts.user, groups: [], isSuperuser: false };
    const perFile = opts.blocksPerFile ?? 0;
    const blockBytes = opts.blockBytes ?? 0;
    const blockCount = Math.max(1, opts.dirs) * opts.filesPerDir * perFile;
    const lastBlockId = perFile > 0 ? await storage.counters.run(counters.reserveRange(COUNTER_BLOCK_ID, blockCount)) : 0;
    let nextBlockId = lastBlockId - blockCount + 1;
    const genStamp = perFile > 0 ? await storage.counters.run(counters.reserveRange(COUNTER_GENERATION_STAMP, 1)) : 0;
    const fileSpec = { permission: 0o644, replication: 1, blockSize: 1 << 27, clientName: '', clientMachine: '', storagePolicy: 0 };
    const dirs: InodeRow[] = [];
    for (let d = 0; d < opts.dirs; d++) dirs.push({ ...newDirectory(first + d, parent, `d${String(d).padStart(5, '0')}`, 0o755, caller, now), children: opts.filesPerDir });
    let next = first + opts.dirs;
    let pending: InodeRow[] = [...dirs];
    let pendingBlocks: Block[] = [];
    const flush = async (all: boolean) => {
      const perTrip = ROWS_PER_STATEMENT * STATEMENTS_PER_ROUND_TRIP;
      while (pending.length >= (all ? 1 : perTrip)) {
        const trip = pending.slice(0, perTrip);
        pending = pending.slice(perTrip);
        const statements = [];
        for (let j = 0; j < trip.length; j += ROWS_PER_STATEMENT) statements.push(inodes.insertBatched(trip.slice(j, j + ROWS_PER_STATEMENT)));
        await storage.db.mutate(statements);
      }
      // After their files (rows of one trip's files, whatever is left at the end).
      while (pendingBlocks.length >= (all ? 1 : perTrip) || (pending.length === 0 && pendingBlocks.length > 0)) {
        const trip = pendingBlocks.slice(0, perTrip);
        pendingBlocks = pendingBlocks.slice(perTrip);
        const statements = [];
        for (let j = 0; j < trip.length; j += ROWS_PER_STATEMENT) statements.push(blocks.insertBatched(trip.slice(j, j + ROWS_PER_STATEMENT)));
        await storage.db.mutate(statements);
        opts.onBlocks?.(trip);
      }
    };
    for (const dir of opts.dirs > 0 ? dirs : [parent]) {
      for (let i = 0; i < opts.filesPerDir; i++) {
        const id = next++;
        pending.push({ ...newFile(id, dir, `f${String(i).padStart(5, '0')}`, fileSpec, caller, now), length: perFile * blockBytes, ucClient: null, ucMachine: null });
        for (let index = 0; index < perFile; index++) pendingBlocks.push({ inodeId: id, index, blockId: nextBlockId++, genStamp, numBytes: blockBytes, state: BlockState.Complete });
      }
      await flush(false);
    }
    await flush(true);
    const added = opts.dirs > 0 ? opts.dirs : opts.filesPerDir;
    await storage.db.transaction(async (tx) => {
      const [p] = await tx.run(inodes.findByIdBatched([parent.id], 'exclusive'));
      if (!p) throw new Error(`${parentPath} vanished`);
      await tx.commit([inodes.updateByPk(p, { ...p, children: p.children + added, mtime: now })]);
    });
    return total;
  } finally {
    await storage.end();
  }
}

async function resolveDir(storage: SqlStorage, path: string): Promise<InodeRow> {
  let [row] = await storage.db.run(inodes.findByPkBatched([{ parentId: ROOT_PARENT_ID, name: '' }], 'none'));
  for (const name of parsePath(path).components) {
    [row] = await storage.db.run(inodes.findByPkBatched([{ parentId: row?.id ?? ROOT_INODE_ID, name }], 'none'));
    if (!row) throw new Error(`${path} does not exist`);
  }
  if (!row) throw new Error('no root inode');
  return row;
}
