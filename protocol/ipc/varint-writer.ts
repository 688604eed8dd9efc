/** Unsigned varints written straight into a buffer (a uint32, or an int32 that is not negative), as protobuf encodes them. */

export const varintSize = (v: number): number => {
  const x = v >>> 0;
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x200000 ? 3 : x < 0x10000000 ? 4 : 5;
};

/** Writes `value` at `at`; answers where the next byte goes. */
export function putVarint(out: Buffer, at: number, value: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}
