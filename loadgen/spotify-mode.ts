import type { PhaseResult } from './loadgen-result';
import { buildNamespace } from './namespace-builder';
import { NamespaceLayout } from './namespace-layout';
import type { NamenodeClient } from '../protocol/client/namenode-client';
import { OperationMix } from './operation-mix';
import { PathPool } from './path-pool';
import { expectTrue, NoStatusError, runPhase, type ModeContext } from './run-phase';
import { SeededRandom } from './seeded-random';
import { SPOTIFY_MIX, type SpotifyOp } from './spotify-mix';
import type { Operation } from './worker-loop';

export interface SpotifyOptions {
  readonly threads: number;
  readonly durationSeconds: number;
  readonly dirs: number;
  readonly filesPerDir: number;
  readonly root: string;
  readonly seed: number;
  /** Skip building: the namespace from an earlier run with the same layout is there. */
  readonly useExisting: boolean;
  /** Group given by chown dir (owner stays the loadgen user, who must be the superuser). */
  readonly group: string;
}

/**
 * The HopsFS/Spotify operation mix over a pre-built namespace of
 * dirs × filesPerDir files. Creates, renames and deletes change the pools
 * as they succeed, so later operations see the namespace as it is.
 */
export async function runSpotify(ctx: ModeContext, o: SpotifyOptions): Promise<PhaseResult[]> {
  const layout = new NamespaceLayout(o.root, o.dirs * o.filesPerDir, o.filesPerDir);
  const phases = o.useExisting ? [] : await buildNamespace(ctx, layout, o.threads, 'spotify namespace');
  phases.push(await new SpotifyMix(layout, o).phase(ctx, 'spotify mix', o.durationSeconds));
  return phases;
}

/**
 * One mix over one namespace. Its path pools, its workers' random streams
 * and their name counters carry over from one phase to the next, so a
 * second phase (the measured one after an unmeasured warm-up) neither
 * repeats the first one's operations nor picks the paths it deleted or
 * renamed: it continues the same run.
 */
export class SpotifyMix {
  readonly #files: PathPool;
  readonly #dirs: PathPool;
  readonly #mix = new OperationMix(SPOTIFY_MIX);
  readonly #rngs: SeededRandom[];
  readonly #seqs: number[];
  readonly #threads: number;
  readonly #group: string;

  constructor(layout: NamespaceLayout, o: Pick<SpotifyOptions, 'threads' | 'seed' | 'group'>) {
    this.#files = new PathPool(layout.allFiles());
    this.#dirs = new PathPool(layout.allDirs());
    const root = new SeededRandom(o.seed);
    this.#rngs = Array.from({ length: o.threads }, (_, w) => root.fork(w));
    this.#seqs = new Array<number>(o.threads).fill(0);
    this.#threads = o.threads;
    this.#group = o.group;
  }

  /** One timed phase of the mix, on the namespace as the phases before it left it. */
  phase(ctx: ModeContext, name: string, durationSeconds: number): Promise<PhaseResult> {
    const next = (w: number): Operation => {
      const rng = this.#rngs[w] as SeededRandom;
      const op = this.#mix.draw(rng);
      const seq = (this.#seqs[w] = (this.#seqs[w] as number) + 1);
      const targets = { rng, files: this.#files, dirs: this.#dirs, name: `w${w}_${seq}`, user: ctx.user, group: this.#group };
      return { op, run: () => perform(ctx, ctx.pool.forWorker(w), op, targets) };
    };
    return runPhase(ctx, name, { threads: this.#threads, durationMs: durationSeconds * 1000, next });
  }
}

interface OpTargets {
  readonly rng: SeededRandom;
  readonly files: PathPool;
  readonly dirs: PathPool;
  /** Unique per operation, for new names. */
  readonly name: string;
  readonly user: string;
  readonly group: string;
}

class EmptyPoolError extends Error {
  override readonly name = 'NothingToPick';
}

function need(path: string | undefined): string {
  if (path === undefined) throw new EmptyPoolError('no path left to operate on');
  return path;
}

async function perform(ctx: ModeContext, client: NamenodeClient, op: SpotifyOp, p: OpTargets): Promise<void> {
  switch (op) {
    case 'readFile':
      await ctx.fileData.readFile(client, need(p.files.pick(p.rng)));
      return;
    case 'statFile':
    case 'statDir': {
      const path = need((op === 'statFile' ? p.files : p.dirs).pick(p.rng));
      if (!(await client.getFileInfo(path))) throw new NoStatusError(path);
      return;
    }
    case 'listDir':
    case 'listFile':
      await client.getListingSize(need((op === 'listDir' ? p.dirs : p.files).pick(p.rng)));
      return;
    case 'createFile': {
      const path = `${need(p.dirs.pick(p.rng))}/c_${p.name}`;
      await ctx.fileData.writeFile(client, path, 0);
      p.files.add(path);
      return;
    }
    case 'renameFile': {
      const src = need(p.files.take(p.rng));
      const dst = `${src.slice(0, src.lastIndexOf('/'))}/r_${p.name}`;
      let renamed = false;
      try {
        renamed = await client.rename(src, dst);
        expectTrue(renamed, `rename ${src}`);
      } finally {
        p.files.add(renamed ? dst : src);
      }
      return;
    }
    case 'deleteFile': {
      const path = need(p.files.take(p.rng));
      expectTrue(await client.delete(path, false), `delete ${path}`);
      return;
    }
    case 'chownDir':
      await client.setOwner(need(p.dirs.pick(p.rng)), p.user, p.group);
      return;
    case 'setReplication':
      await client.setReplication(need(p.files.pick(p.rng)), 2 + p.rng.int(2));
      return;
    case 'mkdirs': {
      const path = `${need(p.dirs.pick(p.rng))}/m_${p.name}`;
      expectTrue(await client.mkdirs(path), `mkdirs ${path}`);
      p.dirs.add(path);
      return;
    }
    case 'chmodFile':
      await client.setPermission(need(p.files.pick(p.rng)), 0o644);
      return;
    case 'chmodDir':
      await client.setPermission(need(p.dirs.pick(p.rng)), 0o755);
      return;
  }
}
