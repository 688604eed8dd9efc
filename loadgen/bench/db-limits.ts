import type mysql from 'mysql2/promise';
import type { PhaseResult } from '../loadgen-result';
import { PhaseRecorder } from '../phase-recorder';
import type { ProgressReporter } from '../progress-reporter';
import { SeededRandom } from '../seeded-random';
import { runWorkers, type Operation } from '../worker-loop';

export interface InodeKey {
  readonly parentId: number;
  readonly name: Buffer;
}

/** Existing rows to look up, so every select finds its row as a namenode's would. */
export async function sampleInodeKeys(pool: mysql.Pool, limit: number): Promise<InodeKey[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT parent_id, name FROM inodes WHERE parent_id > 0 LIMIT ?', [limit]);
  return rows.map((r) => ({ parentId: Number(r['parent_id']), name: r['name'] as Buffer }));
}

const POINT_SELECT =
  'SELECT id, type, permission, owner, group_name, mtime, atime, replication, block_size, length FROM inodes WHERE parent_id = ? AND name = ?';

/**
 * The database's own ceilings, measured from this process with the
 * namenode's pool settings: what a namenode could do at best if each
 * operation cost one primary-key read (reads) or one small locking
 * transaction (writes).
 */
export async function measurePointSelects(pool: mysql.Pool, keys: readonly InodeKey[], seconds: number, threads: number, progress: ProgressReporter): Promise<PhaseResult> {
  const rng = new SeededRandom(1);
  return measure('db limit: primary-key point select', threads, seconds, progress, () => ({
    op: 'db point select',
    run: async () => {
      const k = rng.pick(keys);
      await pool.execute(POINT_SELECT, [k.parentId, k.name]);
    },
  }));
}

/** BEGIN; SELECT … FOR UPDATE; UPDATE; COMMIT on one random row: the shape of a small namespace write. */
export async function measureLockingTransactions(pool: mysql.Pool, keys: readonly InodeKey[], seconds: number, threads: number, progress: ProgressReporter): Promise<PhaseResult> {
  const rng = new SeededRandom(2);
  return measure('db limit: small locking transaction', threads, seconds, progress, () => ({
    op: 'db locking tx',
    run: async () => {
      const k = rng.pick(keys);
      const conn = await pool.getConnection();
      try {
        await conn.query('BEGIN');
        await conn.execute(`${POINT_SELECT} FOR UPDATE`, [k.parentId, k.name]);
        await conn.execute('UPDATE inodes SET atime = ? WHERE parent_id = ? AND name = ?', [Date.now(), k.parentId, k.name]);
        await conn.query('COMMIT');
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
  }));
}

async function measure(name: string, threads: number, seconds: number, progress: ProgressReporter, next: () => Operation): Promise<PhaseResult> {
  const recorder = new PhaseRecorder(name, threads);
  await runWorkers({ threads, recorder, next, durationMs: seconds * 1000, progress: progress.begin(name) });
  return recorder.finish({});
}
