/** Period of the pattern: one write packet, so a packet-aligned slice needs no copy. */
const PERIOD = 64 * 1024;

/**
 * What the load generator writes: a fixed pseudo-random pattern repeating
 * every 64 KiB, keyed by the offset in the file. Not compressible by
 * accident, free to produce at any rate, and a reader (or a test) knows
 * what any byte of any file must be.
 */
const PATTERN: Buffer = (() => {
  const out = Buffer.allocUnsafe(PERIOD);
  // xorshift32: cheap, fixed, and no relation to CRC structure.
  let x = 0x9e3779b9;
  for (let i = 0; i < PERIOD; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
})();

/** The bytes [offset, offset + length) of every file the load generator writes. */
export function patternBytes(offset: number, length: number): Buffer {
  const start = offset % PERIOD;
  if (start + length <= PERIOD) return PATTERN.subarray(start, start + length);
  const out = Buffer.allocUnsafe(length);
  for (let filled = 0; filled < length; ) {
    const from = (offset + filled) % PERIOD;
    filled += PATTERN.copy(out, filled, from, Math.min(PERIOD, from + length - filled));
  }
  return out;
}
