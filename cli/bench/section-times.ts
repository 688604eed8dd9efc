import { fmt } from '../../loadgen/text-table';

/** How long one section of `npm run bench` took, start-up and tear-down of its processes included. */
export interface SectionTime {
  readonly section: string;
  readonly seconds: number;
}

/** Runs a section and appends its wall-clock time to `into`, whether it returned or threw. */
export async function timeSection<T>(into: SectionTime[], section: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await run();
  } finally {
    into.push({ section, seconds: (Date.now() - started) / 1000 });
  }
}

export function sectionTimesText(times: readonly SectionTime[]): string {
  const total = times.reduce((a, t) => a + t.seconds, 0);
  return `section times: ${times.map((t) => `${t.section} ${fmt(t.seconds, 0)} s`).join(', ')}; ${fmt(total, 0)} s in all`;
}
