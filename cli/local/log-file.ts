import { readFileSync, statSync } from 'node:fs';

/** Current size of a log, to read later only what a new child wrote after it. */
export function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last `maxLines` lines written to `path` since byte `offset`. */
export function logTail(path: string, offset = 0, maxLines = 30): string {
  let text: string;
  try {
    text = readFileSync(path).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
  return text.trimEnd().split('\n').slice(-maxLines).join('\n');
}
