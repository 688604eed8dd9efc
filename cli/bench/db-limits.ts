import type mysql from 'mysql2/promise';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import { PhaseRecorder } from '../../loadgen/phase-recorder';
import type { ProgressReporter } from '../../loadgen/progress-reporter';
import { SeededRandom } from '../../loadgen/seeded-random';
import { runWorkers, type Operation } from '../../loadgen/worker-loop';
import { BEGIN, COMMIT, POINT_SELECT, POINT_SELECT_FOR_UPDATE, ROLLBACK, SAMPLE_INODE_KEYS, TOUCH_INODE_MTIME, toSampledKey } from './db-probe-statements';

export interface InodeKey {
  readonly parentId: number;
  readonly name: Buffer;
}

/** Existing rows to look up, so every select finds its row as a namenode's would. */
export async function sampleInodeKeys(pool: mysql.Pool, limit: number): Promise<InodeKey[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(SAMPLE_INODE_KEYS, [limit]);
  return rows.map(toSampledKey);
}

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
        await conn.query(BEGIN);
        await conn.execute(POINT_SELECT_FOR_UPDATE, [k.parentId, k.name]);
        await conn.execute(TOUCH_INODE_MTIME, [Date.now(), k.parentId, k.name]);
        await conn.query(COMMIT);
      } catch (err) {
        await conn.query(ROLLBACK).catch(() => undefined);
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
