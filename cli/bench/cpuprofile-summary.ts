import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';

/** The parts of V8's .cpuprofile JSON (what `node --cpu-prof` writes) the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber?: number };
    readonly children?: readonly number[];
  }[];
  /** Microseconds on the monotonic clock (the one `process.hrtime` reads). */
  readonly startTime: number;
  readonly endTime: number;
  /** Node id sampled at each tick. */
  readonly samples: readonly number[];
  /** Microseconds since the previous sample (the first since startTime). */
  readonly timeDeltas: readonly number[];
}

export interface FrameTime {
  /** "function file:line", file relative to the checkout. */
  readonly frame: string;
  readonly selfMicros: number;
  /** Share of the busy (non-idle) time in the window. */
  readonly selfShare: number;
}

export interface ProfileSummary {
  readonly windowMicros: number;
  readonly busyMicros: number;
  readonly idleMicros: number;
  readonly samples: number;
  /** Busiest first. */
  readonly frames: readonly FrameTime[];
  /** Self time summed per source (project file, npm package, node internal). */
  readonly sources: readonly FrameTime[];
}

/** V8's pseudo-frames for time the process spent waiting. */
const IDLE = new Set(['(idle)']);

/**
 * Self time per frame from the samples, optionally only those taken in
 * [fromMicros, toMicros] on the profile's clock (a phase's window, so a
 * namespace build before it does not count). A sample's time is the delta
 * that ends at it, as DevTools counts it.
 */
export function summariseCpuProfile(p: CpuProfile, root: string, window?: { fromMicros: number; toMicros: number }): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = p.startTime;
  let samples = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.fromMicros || t > window.toMicros)) continue;
    const id = p.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + Math.max(0, dt));
    samples++;
  }
  const frames = new Map<string, number>();
  const sources = new Map<string, number>();
  let idle = 0;
  for (const [id, micros] of self) {
    const cf = byId.get(id)?.callFrame;
    const name = cf?.functionName || '(anonymous)';
    if (IDLE.has(name)) {
      idle += micros;
      continue;
    }
    const file = cf ? relativeUrl(cf.url, root) : '';
    const key = file ? `${name} ${file}:${cf!.lineNumber + 1}` : name;
    frames.set(key, (frames.get(key) ?? 0) + micros);
    const src = sourceOf(file, name);
    sources.set(src, (sources.get(src) ?? 0) + micros);
  }
  const busy = [...frames.values()].reduce((a, b) => a + b, 0);
  const ranked = (m: Map<string, number>): FrameTime[] =>
    [...m]
      .map(([frame, selfMicros]) => ({ frame, selfMicros, selfShare: busy > 0 ? selfMicros / busy : 0 }))
      .sort((a, b) => b.selfMicros - a.selfMicros || a.frame.localeCompare(b.frame));
  const windowMicros = window ? window.toMicros - window.fromMicros : p.endTime - p.startTime;
  return { windowMicros, busyMicros: busy, idleMicros: idle, samples, frames: ranked(frames), sources: ranked(sources) };
}

/** file:///checkout/dist/x.js → dist/x.js; node:internal/… stays as it is. */
export function relativeUrl(url: string, root: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** An npm package by name, a node internal by its first two segments, a project file as it is; pseudo-frames by name. */
export function sourceOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '')}`;
  }
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  return file;
}

const COLUMNS: readonly TextColumn[] = [{ title: 'self ms', align: 'right' }, { title: 'self %', align: 'right' }, { title: 'frame' }];

/** The top frames and sources by self time, as printed by `npm run profile`. */
export function profileSummaryText(s: ProfileSummary, top: number, ops?: number): string {
  const rows = (list: readonly FrameTime[]): string[][] => list.slice(0, top).map((f) => [fmt(f.selfMicros / 1000, 1), fmt(f.selfShare * 100, 1), f.frame]);
  const perOp = ops && ops > 0 ? `, ${fmt(s.busyMicros / ops, 1)} µs busy per operation over ${ops} operations` : '';
  return [
    `window ${fmt(s.windowMicros / 1000, 0)} ms: ${fmt(s.busyMicros / 1000, 0)} ms busy, ${fmt(s.idleMicros / 1000, 0)} ms idle, ${s.samples} samples${perOp}`,
    '',
    `top ${top} frames by self time (share of busy time)`,
    formatTextTable(COLUMNS, rows(s.frames)),
    '',
    `top ${top} sources by self time`,
    formatTextTable(COLUMNS, rows(s.sources)),
  ].join('\n');
}
