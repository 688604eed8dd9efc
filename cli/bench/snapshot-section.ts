import type mysql from 'mysql2/promise';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { runNnbench } from '../../loadgen/nnbench-mode';
import { runPhase, type ModeContext } from '../../loadgen/run-phase';
import type { SectionOutput } from './bench-extra-sections';
import { nnbenchPhase } from './bench-workload';
import { bulkTree } from './bulk-tree';
import type { LocalFleet } from './local-fleet';
import { failureReason, measuredRow, settingRowsOutput, type SettingRow } from './measured-phase';

export interface SnapshotSection extends SectionOutput {
  readonly rows: readonly SettingRow[];
}

const FILES_PER_DIR = 1000;
const SMALL_TREE = 1000;
/** createSnapshot calls timed per tree. */
const SNAPSHOTS = 5;

const NOTES = [
  'createSnapshot: one caller, one after another, on a bulk-loaded tree (cli/bench/bulk-tree.ts, 1,000 files a directory); ops/s is snapshots per second.',
  'create and delete: the bench layout\'s directories and files rebuilt under a plain root and under a snapshottable root with one snapshot taken after the build; create adds new files for --seconds, delete removes every built file once (so it is bounded by the file count, not the seconds).',
];

/**
 * Snapshots (issue 17): createSnapshot on a small and a big tree, and what
 * a snapshot above a directory costs its creates and deletes. A failure is
 * reported, not fatal.
 */
export async function runSnapshotSection(
  fleet: LocalFleet,
  dbPool: mysql.Pool,
  ctx: ModeContext,
  layout: NamespaceLayout,
  w: { threads: number; seconds: number; bigFiles: number },
): Promise<SnapshotSection> {
  const rows: SettingRow[] = [];
  const client = ctx.pool.forWorker(0);
  try {
    for (const asked of [SMALL_TREE, w.bigFiles]) {
      const dirs = Math.ceil(asked / FILES_PER_DIR);
      const files = dirs * FILES_PER_DIR;
      const root = `/bench-snap-tree-${files}`;
      await client.mkdirs(root);
      await bulkTree(fleet.mysql, root, { dirs, filesPerDir: FILES_PER_DIR, user: fleet.superuser });
      await client.allowSnapshot(root);
      let n = 0;
      rows.push(
        await measuredRow(dbPool, 'createSnapshot', `tree of ${files.toLocaleString('en-US')} files`, () =>
          runPhase(ctx, `createSnapshot ${files}`, { threads: 1, expectedOps: SNAPSHOTS, next: () => (n < SNAPSHOTS ? { op: 'createSnapshot', run: async () => void (await client.createSnapshot(root, `s${n++}`)) } : undefined) }),
        ),
      );
    }
    const shape = { ...w, spotifySeconds: 0, dirs: layout.dirs, filesPerDir: layout.filesPerDir };
    const trees = [
      { setting: 'plain directory', tree: new NamespaceLayout('/bench-snap-plain', layout.files, layout.filesPerDir), snapshot: false },
      { setting: 'under a snapshot', tree: new NamespaceLayout('/bench-snap-taken', layout.files, layout.filesPerDir), snapshot: true },
    ];
    for (const t of trees) {
      await buildNamespace(ctx, t.tree, w.threads, `snapshot section: ${t.setting}`);
      if (t.snapshot) {
        await client.allowSnapshot(t.tree.root);
        await client.createSnapshot(t.tree.root, 's0');
      }
    }
    for (const t of trees) rows.push(await measuredRow(dbPool, 'create', t.setting, () => nnbenchPhase(ctx, t.tree, 'create', shape)));
    for (const t of trees) {
      rows.push(
        await measuredRow(dbPool, 'delete', t.setting, async () => {
          const phases = await runNnbench(ctx, { op: 'delete', threads: w.threads, files: t.tree.files, filesPerDir: t.tree.filesPerDir, useExisting: true, root: t.tree.root });
          return phases[phases.length - 1] as PhaseResult;
        }),
      );
    }
  } catch (err) {
    return { rows, summaries: [], text: [], failure: `snapshot section failed: ${failureReason(err)}` };
  }
  return { rows, ...settingRowsOutput('snapshots (issue 17): createSnapshot by tree size, create and delete under a snapshot', rows, NOTES) };
}
