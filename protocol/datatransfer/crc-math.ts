/**
 * Arithmetic on CRC32 and CRC32C values in GF(2)[x], as Hadoop's CrcUtil
 * does it. For both (initial value and final xor all ones), crc(A‖B) =
 * crc(A)·x^(8·|B|) mod P ⊕ crc(B). Polynomials are "reversed": the top bit
 * of a u32 is x^0, the bottom bit x^31, x^32 implicit.
 */
export const MULTIPLICATIVE_IDENTITY = 0x80000000;
export const GZIP_POLYNOMIAL = 0xedb88320;
export const CASTAGNOLI_POLYNOMIAL = 0x82f63b78;

export function galoisFieldMultiply(p: number, q: number, m: number): number {
  let summation = 0;
  let px = p >>> 0;
  for (let term = MULTIPLICATIVE_IDENTITY; term !== 0; term >>>= 1) {
    if ((q & term) !== 0) summation ^= px;
    const carries = (px & 1) !== 0;
    px >>>= 1;
    if (carries) px ^= m;
  }
  return summation >>> 0;
}

/** x^(8·lengthBytes) mod m, by squaring. */
export function crcMonomial(lengthBytes: number, m: number): number {
  if (lengthBytes < 0 || !Number.isSafeInteger(lengthBytes)) throw new RangeError(`lengthBytes must be a non-negative integer, got ${lengthBytes}`);
  let product = MULTIPLICATIVE_IDENTITY;
  let multiplier = MULTIPLICATIVE_IDENTITY >>> 8;
  for (let degree = lengthBytes; degree > 0; degree = Math.floor(degree / 2)) {
    if (degree % 2 === 1) product = product === MULTIPLICATIVE_IDENTITY ? multiplier : galoisFieldMultiply(product, multiplier, m);
    multiplier = galoisFieldMultiply(multiplier, multiplier, m);
  }
  return product >>> 0;
}

/**
 * crc ↦ crc·x^(8·lengthBytes) mod m by four table lookups: multiplying by a
 * constant is linear over GF(2), so it is the xor of the products of the
 * value's four bytes, each tabled once.
 */
export function crcShifter(lengthBytes: number, m: number): (crc: number) => number {
  const monomial = crcMonomial(lengthBytes, m);
  const table = new Uint32Array(4 * 256);
  for (let k = 0; k < 4; k++) {
    for (let v = 0; v < 256; v++) table[k * 256 + v] = galoisFieldMultiply((v << (8 * k)) >>> 0, monomial, m);
  }
  return (crc) => (table[crc & 0xff]! ^ table[256 + ((crc >>> 8) & 0xff)]! ^ table[512 + ((crc >>> 16) & 0xff)]! ^ table[768 + (crc >>> 24)]!) >>> 0;
}
