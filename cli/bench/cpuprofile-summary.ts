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
  /** Inclusive time (the frame or anything it called on the stack), busiest first; `selfMicros`/`selfShare` hold it. */
  readonly inclusive: readonly FrameTime[];
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
  const keyOf = (id: number): string => {
    const cf = byId.get(id)?.callFrame;
    const name = cf?.functionName || '(anonymous)';
    const file = cf ? relativeUrl(cf.url, root) : '';
    return file ? `${name} ${file}:${cf!.lineNumber + 1}` : name;
  };
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
    const key = keyOf(id);
    frames.set(key, (frames.get(key) ?? 0) + micros);
    const src = sourceOf(file, name);
    sources.set(src, (sources.get(src) ?? 0) + micros);
  }
  const busy = [...frames.values()].reduce((a, b) => a + b, 0);
  const inclusive = inclusiveTimes(p, self, keyOf);
  const ranked = (m: Map<string, number>): FrameTime[] =>
    [...m]
      .map(([frame, selfMicros]) => ({ frame, selfMicros, selfShare: busy > 0 ? selfMicros / busy : 0 }))
      .sort((a, b) => b.selfMicros - a.selfMicros || a.frame.localeCompare(b.frame));
  const windowMicros = window ? window.toMicros - window.fromMicros : p.endTime - p.startTime;
  return { windowMicros, busyMicros: busy, idleMicros: idle, samples, frames: ranked(frames), sources: ranked(sources), inclusive: ranked(inclusive) };
}

/**
 * Each frame's time with everything beneath it: a node's self time counts
 * once for every distinct frame on its stack (recursion counts once), the
 * root and idle time not at all.
 */
function inclusiveTimes(p: CpuProfile, self: ReadonlyMap<number, number>, keyOf: (id: number) => string): Map<string, number> {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  for (const [id, micros] of self) {
    if (IDLE.has(keyOf(id))) continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(at);
      if (key === '(root)' || seen.has(key)) continue;
      seen.add(key);
      out.set(key, (out.get(key) ?? 0) + micros);
    }
  }
  return out;
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

const INCLUSIVE_COLUMNS: readonly TextColumn[] = [{ title: 'incl ms', align: 'right' }, { title: 'incl %', align: 'right' }, { title: 'frame' }];

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
    `top ${top} frames by inclusive time (the frame and what it called)`,
    formatTextTable(INCLUSIVE_COLUMNS, rows(s.inclusive)),
    '',
    `top ${top} sources by self time`,
    formatTextTable(COLUMNS, rows(s.sources)),
  ].join('\n');
}

/** The same windows of several processes as one: busy, idle and self times added up. */
export function mergeSummaries(list: readonly ProfileSummary[]): ProfileSummary {
  const add = (pick: (s: ProfileSummary) => readonly FrameTime[]): FrameTime[] => {
    const m = new Map<string, number>();
    for (const s of list) for (const f of pick(s)) m.set(f.frame, (m.get(f.frame) ?? 0) + f.selfMicros);
    const busy = [...m.values()].reduce((a, b) => a + b, 0);
    return [...m].map(([frame, selfMicros]) => ({ frame, selfMicros, selfShare: busy > 0 ? selfMicros / busy : 0 })).sort((a, b) => b.selfMicros - a.selfMicros);
  };
  const sum = (pick: (s: ProfileSummary) => number): number => list.reduce((a, s) => a + pick(s), 0);
  return {
    windowMicros: Math.max(0, ...list.map((s) => s.windowMicros)),
    busyMicros: sum((s) => s.busyMicros),
    idleMicros: sum((s) => s.idleMicros),
    samples: sum((s) => s.samples),
    frames: add((s) => s.frames),
    sources: add((s) => s.sources),
    inclusive: add((s) => s.inclusive),
  };
}
