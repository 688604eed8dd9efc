import type { PhaseResult } from '../loadgen-result';
import { PhaseRecorder } from '../phase-recorder';
import { runHttpPhase, type HttpTarget } from './http-phase';
import { createFile, locationOf, mkdirs, webhdfsPath } from './webhdfs-fetch';

export const WEBHDFS_OPS = ['GETFILESTATUS', 'LISTSTATUS', 'OPEN', 'CREATE'] as const;
export type WebHdfsLoadOp = (typeof WEBHDFS_OPS)[number];

export interface WebHdfsLoadOptions {
  /** http://host:port of the balancer or of each namenode. */
  readonly namenodes: readonly string[];
  readonly user: string;
  readonly op: WebHdfsLoadOp;
  /** Connections in all, spread over the namenodes (and, for a data step, over the datanodes). */
  readonly connections: number;
  readonly durationSeconds: number;
  readonly root: string;
  readonly dirs: number;
  readonly filesPerDir: number;
  /** Bytes of each file read (OPEN) or written (CREATE). */
  readonly fileSize: number;
  readonly useExisting: boolean;
  readonly seed: number;
  /** Existing files to read instead of the d<i>/f<j> tree under root (the benchmark's own namespace). */
  readonly files?: readonly string[];
}

/** At most this many datanode URLs kept from the namenode's answers, to replay in the data step. */
const MAX_LOCATIONS = 100_000;

/**
 * `nnfleet loadgen webhdfs`: one WebHDFS operation as fast as
 * `connections` keep-alive HTTP connections (autocannon) can drive it.
 * GETFILESTATUS and LISTSTATUS are one request to a namenode. OPEN and
 * CREATE are two: the namenode's answer names a datanode, which serves
 * the bytes. autocannon keeps a connection on one origin and does not
 * follow redirects, so a 307 to another host:port cannot be followed
 * inside one of its connections; the namenode step therefore asks
 * `noredirect=true` (a 200 whose JSON Location autocannon counts as a
 * success and whose body is read), and a second phase sends the data
 * step to exactly those Locations, each datanode driven by its own
 * instance. Both steps are reported, each with its own rate and latency.
 */
export async function runWebHdfsLoad(o: WebHdfsLoadOptions): Promise<PhaseResult[]> {
  const phases: PhaseResult[] = [];
  const origins = spread(o.namenodes, o.connections);
  const files = o.files ?? filePaths(o);
  if (o.op !== 'CREATE' && !o.useExisting && !o.files) phases.push(await buildNamespace(o, files));
  let turn = 0;
  const nextFile = () => files[turn++ % files.length] as string;
  const dirs = Array.from({ length: o.dirs }, (_, d) => `${o.root}/d${d}`);
  const common = { targets: origins, durationSeconds: o.durationSeconds };
  switch (o.op) {
    case 'GETFILESTATUS':
      phases.push(await runHttpPhase({ ...common, name: 'GETFILESTATUS', op: 'GETFILESTATUS', next: () => ({ method: 'GET', path: webhdfsPath(nextFile(), 'GETFILESTATUS', o.user) }) }));
      break;
    case 'LISTSTATUS':
      phases.push(await runHttpPhase({ ...common, name: 'LISTSTATUS', op: 'LISTSTATUS', next: () => ({ method: 'GET', path: webhdfsPath(dirs[turn++ % dirs.length] as string, 'LISTSTATUS', o.user) }) }));
      break;
    case 'OPEN': {
      const locations = new Locations();
      phases.push(
        await runHttpPhase({
          ...common,
          name: 'OPEN (namenode: noredirect)',
          op: 'OPEN namenode',
          next: () => ({ method: 'GET', path: webhdfsPath(nextFile(), 'OPEN', o.user, { noredirect: 'true' }) }),
          onBody: (status, body) => status === 200 && locations.add(body),
        }),
      );
      phases.push(
        await runHttpPhase({
          name: 'OPEN (datanode: read)',
          op: 'OPEN datanode',
          targets: spread(locations.origins(), o.connections),
          durationSeconds: o.durationSeconds,
          next: (origin) => ({ method: 'GET', path: locations.replay(origin) }),
        }),
      );
      break;
    }
    case 'CREATE': {
      await mkdirs(o.namenodes[0] as string, `${o.root}/w${o.seed}`, o.user);
      const locations = new Locations();
      let created = 0;
      phases.push(
        await runHttpPhase({
          ...common,
          name: 'CREATE (namenode: noredirect)',
          op: 'CREATE namenode',
          next: () => ({ method: 'PUT', path: webhdfsPath(`${o.root}/w${o.seed}/f${created++}`, 'CREATE', o.user, { noredirect: 'true', overwrite: 'false' }) }),
          onBody: (status, body) => status === 200 && locations.add(body),
        }),
      );
      // Each Location is one new file: written exactly once, by whichever connection takes it.
      const body = Buffer.alloc(o.fileSize, 0x61);
      phases.push(
        await runHttpPhase({
          name: 'CREATE (datanode: write)',
          op: 'CREATE datanode',
          targets: spread(locations.origins(), o.connections).map((t): HttpTarget => ({ ...t, amount: locations.count(t.origin) })),
          durationSeconds: o.durationSeconds,
          next: (origin) => ({ method: 'PUT', path: locations.take(origin), body, headers: { 'Content-Type': 'application/octet-stream' } }),
        }),
      );
      break;
    }
  }
  return phases;
}

function filePaths(o: WebHdfsLoadOptions): string[] {
  return Array.from({ length: o.dirs * o.filesPerDir }, (_, i) => `${o.root}/d${i % o.dirs}/f${Math.floor(i / o.dirs)}`);
}

/** `connections` over `origins`, at least one each. */
function spread(origins: readonly string[], connections: number): HttpTarget[] {
  return origins.map((origin, i) => ({ origin, connections: Math.max(1, Math.floor(connections / origins.length) + (i < connections % origins.length ? 1 : 0)) }));
}

/** The files of the read modes, written through WebHDFS itself, eight at a time. */
async function buildNamespace(o: WebHdfsLoadOptions, files: readonly string[]): Promise<PhaseResult> {
  const recorder = new PhaseRecorder('create namespace (WebHDFS)', 8);
  const origin = o.namenodes[0] as string;
  const bytes = Buffer.alloc(o.fileSize, 0x62);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const path = files[next++] as string;
      const started = performance.now();
      try {
        await createFile(origin, path, o.user, bytes);
        recorder.recordSuccess('CREATE', started);
      } catch (err) {
        recorder.recordError('CREATE', err instanceof Error ? err.message.split(':')[0] ?? 'Error' : 'Error');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const result = recorder.finish({});
  if (result.totalErrors > 0) throw new Error(`building the namespace under ${o.root} failed ${result.totalErrors} times: ${JSON.stringify(result.ops[0]?.errorsByClass)}`);
  return result;
}

/** Datanode URLs the namenode answered, by datanode origin. */
class Locations {
  readonly #byOrigin = new Map<string, string[]>();
  #kept = 0;
  readonly #cursor = new Map<string, number>();

  add(body: string): void {
    if (this.#kept >= MAX_LOCATIONS) return;
    const url = locationOf(body);
    const list = this.#byOrigin.get(url.origin) ?? [];
    list.push(`${url.pathname}${url.search}`);
    this.#byOrigin.set(url.origin, list);
    this.#kept++;
  }

  origins(): string[] {
    if (this.#byOrigin.size === 0) throw new Error('the namenode step named no datanode: nothing to send the data step to');
    return [...this.#byOrigin.keys()];
  }

  count(origin: string): number {
    return this.#byOrigin.get(origin)?.length ?? 0;
  }

  /** Round-robin over the origin's URLs (reads may repeat). */
  replay(origin: string): string {
    const list = this.#byOrigin.get(origin) ?? [];
    const i = this.#cursor.get(origin) ?? 0;
    this.#cursor.set(origin, i + 1);
    return list[i % list.length] as string;
  }

  /** Each URL once (a CREATE's Location makes one file). */
  take(origin: string): string {
    const list = this.#byOrigin.get(origin) ?? [];
    const i = this.#cursor.get(origin) ?? 0;
    this.#cursor.set(origin, i + 1);
    return list[Math.min(i, list.length - 1)] as string;
  }
}
