import type { FsckRepository } from '../fsck-repository';
import { sqlQuery } from '../query';
import type { SqlStatement } from './sql-session';
import { num, rowsWith } from './sql-values';

/**
 * A holder without files whose row the lease monitor should have dropped
 * by now: idle past HDFS's default hard limit (the monitor drops such a row
 * once idle past the soft limit, 60 s by default).
 */
export const EMPTY_LEASE_IDLE_MS = 1_200_000;
export const EMPTY_LEASE_INVARIANT = 'lease without any open file, idle past 20 minutes';

/**
 * The invariant checks of `nnfleet fsck`, each a query that returns the
 * rows breaking one invariant (at most `limit`). Scans of whole tables.
 */
const INVARIANTS = (limit: number): { name: string; statement: SqlStatement }[] => [
  {
    name: 'inode whose parent is not a directory',
    statement: {
      sql: `SELECT c.id, c.parent_id FROM inodes c JOIN inodes p ON p.id = c.parent_id WHERE p.type <> 2 LIMIT ?`,
      params: [limit],
    },
  },
  {
    // A file deleted while a snapshot held it keeps its blocks: a file version of it stands for the inode (namenode/snapshot/README.md).
    name: 'block of a missing inode or of a non-file',
    statement: {
      sql: `SELECT b.block_id, b.inode_id FROM blocks b LEFT JOIN inodes i ON i.id = b.inode_id
        WHERE (i.id IS NULL AND NOT EXISTS (SELECT 1 FROM inode_versions v WHERE v.inode_id = b.inode_id AND v.present = 1 AND v.type = 1)) OR i.type <> 1 LIMIT ?`,
      params: [limit],
    },
  },
  {
    // A block a truncate left for a snapshot (block_versions) keeps its replicas.
    name: 'replica of a missing block',
    statement: {
      sql: `SELECT r.block_id, r.storage_id FROM replicas r LEFT JOIN blocks b ON b.block_id = r.block_id AND b.inode_id = r.inode_id
        WHERE b.block_id IS NULL AND NOT EXISTS (SELECT 1 FROM block_versions bv WHERE bv.block_id = r.block_id AND bv.inode_id = r.inode_id) LIMIT ?`,
      params: [limit],
    },
  },
  {
    // Block versions go with the inode version of their key (namenode/snapshot/README.md, "Blocks").
    name: 'block version without a file version of its key',
    statement: {
      sql: `SELECT bv.block_id, bv.inode_id, bv.snapshot_id FROM block_versions bv
        WHERE NOT EXISTS (SELECT 1 FROM inode_versions v WHERE v.inode_id = bv.inode_id AND v.snapshot_id = bv.snapshot_id AND v.present = 1 AND v.type = 1) LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'pipeline target of a missing block',
    statement: {
      sql: `SELECT p.block_id FROM pipeline_targets p LEFT JOIN blocks b ON b.block_id = p.block_id AND b.inode_id = p.inode_id WHERE b.block_id IS NULL LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'xattr of a missing inode',
    statement: { sql: `SELECT x.inode_id FROM xattrs x LEFT JOIN inodes i ON i.id = x.inode_id WHERE i.id IS NULL LIMIT ?`, params: [limit] },
  },
  {
    name: 'lease path of a missing or closed file, or held by another holder',
    statement: {
      sql: `SELECT lp.inode_id, lp.holder FROM lease_paths lp LEFT JOIN inodes i ON i.id = lp.inode_id
            WHERE i.id IS NULL OR i.uc_client IS NULL OR i.uc_client <> lp.holder LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'file open for writing without a lease',
    statement: {
      sql: `SELECT i.id, i.uc_client FROM inodes i LEFT JOIN lease_paths lp ON lp.inode_id = i.id LEFT JOIN leases l ON l.holder = i.uc_client
            WHERE i.uc_client IS NOT NULL AND (lp.inode_id IS NULL OR l.holder IS NULL) LIMIT ?`,
      params: [limit],
    },
  },
  {
    // A close leaves its holder's row to the lease monitor, which drops it once idle past the soft limit.
    name: EMPTY_LEASE_INVARIANT,
    statement: {
      sql: `SELECT l.holder FROM leases l LEFT JOIN lease_paths lp ON lp.holder = l.holder WHERE lp.holder IS NULL AND l.last_renewed < ? LIMIT ?`,
      params: [Date.now() - EMPTY_LEASE_IDLE_MS, limit],
    },
  },
  {
    name: 'closed file whose length differs from its blocks',
    statement: {
      sql: `SELECT i.id, i.length, COALESCE(SUM(b.num_bytes), 0) AS blocks_length FROM inodes i LEFT JOIN blocks b ON b.inode_id = i.id
            WHERE i.type = 1 AND i.uc_client IS NULL GROUP BY i.id, i.length HAVING i.length <> blocks_length LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'file whose block indexes are not 0..n-1',
    statement: {
      sql: `SELECT inode_id, COUNT(*) AS n, MAX(block_index) AS top FROM blocks GROUP BY inode_id HAVING MIN(block_index) <> 0 OR MAX(block_index) <> COUNT(*) - 1 LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'directory whose child count differs from its children',
    statement: {
      sql: `SELECT p.id, p.children, COUNT(c.id) AS actual FROM inodes p LEFT JOIN inodes c ON c.parent_id = p.id
            WHERE p.type = 2 GROUP BY p.id, p.children HAVING p.children <> actual LIMIT ?`,
      params: [limit],
    },
  },
  // Snapshots (namenode/snapshot/README.md).
  {
    name: 'inode version of no snapshot, live or awaiting reclamation',
    statement: {
      sql: `SELECT v.inode_id, v.snapshot_id FROM inode_versions v LEFT JOIN snapshots s ON s.snapshot_id = v.snapshot_id WHERE s.snapshot_id IS NULL LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'version xattr without its inode version',
    statement: {
      sql: `SELECT x.inode_id, x.snapshot_id FROM inode_version_xattrs x LEFT JOIN inode_versions v ON v.inode_id = x.inode_id AND v.snapshot_id = x.snapshot_id
            WHERE v.inode_id IS NULL OR v.present = 0 LIMIT ?`,
      params: [limit],
    },
  },
  {
    // The bytes a snapshot's file holds are its inode's block rows and the block versions a truncate kept for
    // that snapshot or a later key: together they must cover the length the version has (a lower bound).
    name: 'file version longer than the blocks kept for it',
    statement: {
      sql: `SELECT v.inode_id, v.snapshot_id, v.length,
                   COALESCE((SELECT SUM(b.num_bytes) FROM blocks b WHERE b.inode_id = v.inode_id), 0)
                   + COALESCE((SELECT SUM(k.num_bytes) FROM block_versions k WHERE k.inode_id = v.inode_id AND k.snapshot_id >= v.snapshot_id), 0) AS blocks_length
            FROM inode_versions v WHERE v.present = 1 AND v.type = 1 HAVING blocks_length < v.length LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'live snapshot of a directory that is not snapshottable',
    statement: {
      sql: `SELECT s.dir_id, s.snapshot_id FROM snapshots s LEFT JOIN snapshottable_dirs d ON d.dir_id = s.dir_id WHERE s.deleted = 0 AND d.dir_id IS NULL LIMIT ?`,
      params: [limit],
    },
  },
  {
    name: 'snapshottable directory whose latest_snapshot is not its newest live snapshot',
    statement: {
      sql: `SELECT d.dir_id, i.latest_snapshot, COALESCE(MAX(s.snapshot_id), -1) AS newest FROM snapshottable_dirs d LEFT JOIN inodes i ON i.id = d.dir_id
            LEFT JOIN snapshots s ON s.dir_id = d.dir_id AND s.deleted = 0
            GROUP BY d.dir_id, i.latest_snapshot HAVING i.latest_snapshot IS NULL OR i.latest_snapshot <> newest LIMIT ?`,
      params: [limit],
    },
  },
];

export const sqlFsck: FsckRepository = {
  findInodeShapePage: (afterId, limit) =>
    sqlQuery(
      { sql: 'SELECT id, parent_id FROM inodes WHERE id > ? ORDER BY id LIMIT ?', params: [afterId, limit] },
      rowsWith((r) => ({ id: num(r['id']), parentId: num(r['parent_id']) })),
    ),
  countSnapshots: () =>
    sqlQuery(
      {
        sql: `SELECT (SELECT COUNT(*) FROM snapshottable_dirs) AS dirs,
                     (SELECT COUNT(DISTINCT dir_id) FROM snapshots WHERE deleted = 0) AS with_snapshots,
                     (SELECT COUNT(*) FROM snapshots WHERE deleted = 0) AS live,
                     (SELECT COUNT(*) FROM snapshots WHERE deleted = 1) AS pending,
                     (SELECT COUNT(*) FROM inode_versions) AS versions`,
        params: [],
      },
      (result) => {
        const r = rowsWith((x) => x)(result)[0] ?? {};
        return { snapshottableDirs: num(r['dirs']), withSnapshots: num(r['with_snapshots']), liveSnapshots: num(r['live']), pendingReclamation: num(r['pending']), inodeVersions: num(r['versions']) };
      },
    ),
  invariantChecks: (limit) => INVARIANTS(limit).map((c) => ({ name: c.name, violations: sqlQuery(c.statement, rowsWith((r) => ({ ...r }))) })),
};
