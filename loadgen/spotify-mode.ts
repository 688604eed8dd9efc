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
  const files = new PathPool(layout.allFiles());
  const dirs = new PathPool(layout.allDirs());
  const mix = new OperationMix(SPOTIFY_MIX);
  const root = new SeededRandom(o.seed);
  const rngs = Array.from({ length: o.threads }, (_, w) => root.fork(w));
  const seqs = new Array<number>(o.threads).fill(0);

  const next = (w: number): Operation => {
    const rng = rngs[w] as SeededRandom;
    const op = mix.draw(rng);
    const name = `w${w}_${(seqs[w] = (seqs[w] as number) + 1)}`;
    return { op, run: () => perform(ctx, ctx.pool.forWorker(w), op, { rng, files, dirs, name, user: ctx.user, group: o.group }) };
  };
  phases.push(await runPhase(ctx, 'spotify mix', { threads: o.threads, durationMs: o.durationSeconds * 1000, next }));
  return phases;
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
