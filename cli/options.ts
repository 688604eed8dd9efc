import { InvalidArgumentError } from 'commander';

/** TCP port; 0 lets the system pick a free one. */
export function parsePort(value: string): number {
  return parseIntIn(value, 0, 65535, 'a port (0-65535)');
}

export function parsePositiveInt(value: string): number {
  return parseIntIn(value, 1, Number.MAX_SAFE_INTEGER, 'a positive integer');
}

export function parseNonNegativeInt(value: string): number {
  return parseIntIn(value, 0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');
}

function parseIntIn(value: string, min: number, max: number, what: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}`);
  return n;
}
