import Long from 'long';

/**
 * How generated code types 64-bit integers: decoding yields Long (exact for
 * the full uint64 range); encoders accept either, so callers may write plain
 * numbers below 2^53.
 */
export type Int64 = number | Long;

/** Throws rather than silently losing precision above Number.MAX_SAFE_INTEGER. */
export function int64ToNumber(value: Int64): number {
  if (typeof value === 'number') return value;
  const n = value.toNumber();
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`64-bit value ${value.toString()} does not fit in a JS number`);
  }
  return n;
}

/** For a position a client may name past anything that exists (a txid): saturated at ±Number.MAX_SAFE_INTEGER instead of refused. */
export function int64ToSaturatedNumber(value: Int64): number {
  if (typeof value === 'number') return value;
  if (value.greaterThan(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (value.lessThan(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return value.toNumber();
}

export function int64ToBigInt(value: Int64): bigint {
  return typeof value === 'number' ? BigInt(value) : BigInt(value.toString());
}

export function bigIntToLong(value: bigint, unsigned = true): Long {
  return Long.fromString(value.toString(), unsigned);
}
