import { Presets, SingleBar } from 'cli-progress';
import type { PhaseSnapshot } from './phase-recorder';

export interface ProgressState extends PhaseSnapshot {
  /** 0–1 when the run's size is known. */
  readonly fraction: number | undefined;
  readonly etaSeconds: number | undefined;
}

export interface ProgressSink {
  update(state: ProgressState): void;
  stop(): void;
}

/** Where a run's progress goes: one sink per phase. */
export interface ProgressReporter {
  begin(phase: string): ProgressSink;
}

export type ProgressStyle = 'auto' | 'bar' | 'lines' | 'none';

const BAR_SCALE = 1000;

/** A live bar on a terminal, a plain line per interval otherwise (logs, CI), or nothing. */
export function createProgressReporter(style: ProgressStyle, stream: NodeJS.WriteStream = process.stderr, lineIntervalMs = 2000): ProgressReporter {
  const resolved = style === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : style;
  switch (resolved) {
    case 'bar':
      return { begin: (phase) => barSink(phase, stream) };
    case 'lines':
      return { begin: (phase) => lineSink(phase, stream, lineIntervalMs) };
    case 'none':
      return { begin: () => ({ update: () => undefined, stop: () => undefined }) };
  }
}

function rateOf(s: ProgressState): string {
  return (s.ops / Math.max(s.elapsedMs / 1000, 0.001)).toFixed(0);
}

function left(s: ProgressState): string {
  return s.etaSeconds === undefined ? '?' : `${Math.ceil(s.etaSeconds)}s`;
}

function barSink(phase: string, stream: NodeJS.WriteStream): ProgressSink {
  const bar = new SingleBar(
    {
      format: `${phase} [{bar}] {percentage}% | {ops} ops | {rate} ops/s | {errors} errors | {left} left`,
      stream,
      hideCursor: true,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  bar.start(BAR_SCALE, 0, { ops: 0, rate: '0', errors: 0, left: '?' });
  return {
    update: (s) =>
      bar.update(Math.round((s.fraction ?? 0) * BAR_SCALE), { ops: s.ops, rate: rateOf(s), errors: s.errors, left: left(s) }),
    stop: () => bar.stop(),
  };
}

function lineSink(phase: string, stream: NodeJS.WriteStream, intervalMs: number): ProgressSink {
  let lastLine = 0;
  let last: ProgressState | undefined;
  let printed: ProgressState | undefined;
  const print = (s: ProgressState): void => {
    printed = s;
    const pct = s.fraction === undefined ? '' : ` ${(s.fraction * 100).toFixed(0)}%`;
    stream.write(`${phase}:${pct} ${s.ops} ops, ${rateOf(s)} ops/s, ${s.errors} errors, ${left(s)} left\n`);
  };
  return {
    update: (s) => {
      last = s;
      if (s.elapsedMs - lastLine >= intervalMs) {
        lastLine = s.elapsedMs;
        print(s);
      }
    },
    stop: () => {
      if (last && last !== printed) print(last);
    },
  };
}
