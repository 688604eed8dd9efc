import type { PhaseResult } from '../../loadgen/loadgen-result';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import { runNnbench, type NnbenchOp } from '../../loadgen/nnbench-mode';
import type { ModeContext } from '../../loadgen/run-phase';
import { SpotifyMix } from '../../loadgen/spotify-mode';
import { freshDirsLike } from './measured-phase';
import type { LimitKind } from './bench-summary';

/** create and mkdirs make new entries round-robin in the namespace's existing directories. */
export const NNBENCH_PHASES: readonly { op: NnbenchOp; limit: LimitKind }[] = [
  { op: 'fileStatus', limit: 'point select' },
  { op: 'open', limit: 'point select' },
  { op: 'listStatus', limit: 'point select' },
  { op: 'create', limit: 'locking tx' },
  { op: 'mkdirs', limit: 'locking tx' },
];

/** The bench's label for the Spotify mix phase, in both tables. */
export const SPOTIFY_LABEL = 'spotify mix';

/**
 * Client connections a workload's threads share (round-robin): the bench's
 * default is 1, as the threads of one Hadoop client (and NNThroughputBenchmark's)
 * share its connection to a namenode; as many as threads models as many
 * single-threaded clients.
 */
export interface SharedConnections {
  readonly connections: number;
}

export interface WorkloadShape {
  readonly threads: number;
  readonly seconds: number;
  readonly spotifySeconds: number;
  readonly dirs: number;
  readonly filesPerDir: number;
  /** An unmeasured pass of the same operation before each measured nnbench phase (main table and peer): both sides' JIT warm. */
  readonly warmupSeconds?: number;
  /**
   * An unmeasured pass of the Spotify mix before its measured one, on the
   * same run (SpotifyMix): its rarer operations' code paths need longer
   * than an nnbench phase's to be compiled (bench/README.md, stop 48).
   */
  readonly spotifyWarmupSeconds?: number;
}

const last = (phases: PhaseResult[]): PhaseResult => phases[phases.length - 1] as PhaseResult;

/**
 * One timed nnbench phase over the bench namespace: the same call whichever
 * NameNode `ctx` talks to (nnfleet, or Apache HDFS beside it).
 */
export async function nnbenchPhase(ctx: ModeContext, layout: NamespaceLayout, op: NnbenchOp, w: WorkloadShape, namePrefix = ''): Promise<PhaseResult> {
  return last(
    await runNnbench(ctx, {
      op,
      threads: w.threads,
      files: layout.files,
      filesPerDir: w.filesPerDir,
      useExisting: true,
      root: layout.root,
      durationSeconds: w.seconds,
      namePrefix,
    }),
  );
}

/**
 * The unmeasured pass before a measured nnbench phase, `w.warmupSeconds`
 * long (none when 0 or absent): code paths a phase first exercises are
 * compiled by then, on nnfleet's namenode and on HDFS's JVM alike.
 */
export async function warmUpPhase(ctx: ModeContext, layout: NamespaceLayout, op: NnbenchOp, w: WorkloadShape): Promise<void> {
  // Names of its own: the measured create (mkdirs) pass then makes new entries, not overwrites of these (existing directories).
  if (w.warmupSeconds !== undefined && w.warmupSeconds > 0) await nnbenchPhase(ctx, layout, op, { ...w, seconds: w.warmupSeconds }, 'warmup-');
}

/**
 * Where the main table's write phases (create, mkdirs) and their warm-ups
 * put their entries: directories of their own beside the namespace's
 * (`/bench-writes/dirN`), on nnfleet and on HDFS alike. Into the
 * namespace's own directories, the faster a side created, the longer the
 * listings its Spotify mix then read (1,000 entries a directory instead of
 * 50 after 7 s of creates and mkdirs at nnfleet's rate, ten times that at
 * HDFS's), so the mix measured the write phases' rate as much as itself.
 */
export function writesLayout(ctx: ModeContext, layout: NamespaceLayout): Promise<NamespaceLayout> {
  return freshDirsLike(ctx, `${layout.root}-writes`, layout);
}

/** The Spotify mix over the bench namespace: the measured pass, after an unmeasured one of `w.spotifyWarmupSeconds` (none when 0 or absent). */
export interface BenchSpotify {
  warmUp(): Promise<void>;
  measured(): Promise<PhaseResult>;
}

/**
 * The bench's Spotify mix over `layout` (it renames and deletes the files the
 * read phases use), the same on nnfleet and on HDFS: the warm-up and the
 * measured pass are phases of one SpotifyMix, so the measured one goes on
 * from the namespace the warm-up left.
 */
export function benchSpotify(ctx: ModeContext, layout: NamespaceLayout, w: WorkloadShape): BenchSpotify {
  const mix = new SpotifyMix(layout, { threads: w.threads, seed: 1, group: 'supergroup' });
  return {
    warmUp: async () => {
      if (w.spotifyWarmupSeconds !== undefined && w.spotifyWarmupSeconds > 0) await mix.phase(ctx, `${SPOTIFY_LABEL}, warm-up`, w.spotifyWarmupSeconds);
    },
    measured: () => mix.phase(ctx, SPOTIFY_LABEL, w.spotifySeconds),
  };
}
