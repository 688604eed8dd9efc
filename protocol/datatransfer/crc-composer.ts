import { ChecksumType, CHECKSUM_SIZE, UnsupportedChecksumError } from './checksum';

/**
 * Composing CRCs of adjacent data ranges into the CRC of their
 * concatenation, as Hadoop's CrcUtil and CrcComposer do for COMPOSITE_CRC
 * block and file checksums. For CRC32 and CRC32C (initial value and final
 * xor both all ones), crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B) in
 * GF(2)[x]. Polynomials are "reversed": the top bit of a u32 is x^0, the
 * bottom bit x^31, x^32 implicit.
 */
const MULTIPLICATIVE_IDENTITY = 0x80000000;
const GZIP_POLYNOMIAL = 0xedb88320;
const CASTAGNOLI_POLYNOMIAL = 0x82f63b78;

export function crcPolynomialOf(type: ChecksumType): number {
  switch (type) {
    case ChecksumType.CRC32:
      return GZIP_POLYNOMIAL;
    case ChecksumType.CRC32C:
      return CASTAGNOLI_POLYNOMIAL;
    case ChecksumType.NULL:
      throw new UnsupportedChecksumError(type);
  }
}

function galoisFieldMultiply(p: number, q: number, m: number): number {
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

export class StripeAlignmentError extends Error {
  constructor(position: number, bytesPerCrc: number, stripeLength: number) {
    super(`Current position in stripe '${position}' after advancing by bytesPerCrc '${bytesPerCrc}' exceeds stripeLength '${stripeLength}' without stripe alignment.`);
    this.name = 'StripeAlignmentError';
  }
}

/**
 * Hadoop's CrcComposer: folds CRCs of consecutive ranges into one CRC per
 * `stripeLength` bytes (Infinity: one for everything). Kept faithful to
 * Hadoop, quirk included: a running CRC of 0 counts as "nothing yet", so the
 * next CRC replaces it rather than being composed with it.
 */
export class CrcComposer {
  readonly #polynomial: number;
  readonly #bytesPerCrcHint: number;
  readonly #monomialForHint: number;
  readonly #stripeLength: number;
  #current = 0;
  #positionInStripe = 0;
  readonly #digest: Buffer[] = [];

  constructor(type: ChecksumType, bytesPerCrcHint: number, stripeLength = Infinity) {
    this.#polynomial = crcPolynomialOf(type);
    this.#bytesPerCrcHint = bytesPerCrcHint;
    this.#monomialForHint = crcMonomial(bytesPerCrcHint, this.#polynomial);
    this.#stripeLength = stripeLength;
  }

  /** One more CRC, of `bytesPerCrc` data bytes. */
  update(crc: number, bytesPerCrc: number): void {
    if (this.#current === 0) {
      this.#current = crc >>> 0;
    } else {
      const monomial = bytesPerCrc === this.#bytesPerCrcHint ? this.#monomialForHint : crcMonomial(bytesPerCrc, this.#polynomial);
      this.#current = (galoisFieldMultiply(this.#current, monomial, this.#polynomial) ^ crc) >>> 0;
    }
    this.#positionInStripe += bytesPerCrc;
    if (this.#positionInStripe > this.#stripeLength) throw new StripeAlignmentError(this.#positionInStripe, bytesPerCrc, this.#stripeLength);
    if (this.#positionInStripe === this.#stripeLength) this.#flushStripe();
  }

  /** CRCs stored big-endian, 4 bytes each, every one of `bytesPerCrc` data bytes. */
  updateAll(crcs: Buffer, bytesPerCrc: number): void {
    for (let at = 0; at + CHECKSUM_SIZE <= crcs.length; at += CHECKSUM_SIZE) this.update(crcs.readUInt32BE(at), bytesPerCrc);
  }

  /** The composed CRCs, 4 bytes big-endian each: one per stripe, the last one possibly short. */
  digest(): Buffer {
    if (this.#positionInStripe > 0) this.#flushStripe();
    return Buffer.concat(this.#digest.splice(0));
  }

  #flushStripe(): void {
    const out = Buffer.alloc(CHECKSUM_SIZE);
    out.writeUInt32BE(this.#current);
    this.#digest.push(out);
    this.#current = 0;
    this.#positionInStripe = 0;
  }
}
