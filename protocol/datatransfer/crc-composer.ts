import { ChecksumType, CHECKSUM_SIZE, UnsupportedChecksumError } from './checksum';
import { CASTAGNOLI_POLYNOMIAL, crcMonomial, galoisFieldMultiply, GZIP_POLYNOMIAL } from './crc-math';

export { crcMonomial } from './crc-math';

/**
 * Composing CRCs of adjacent data ranges into the CRC of their
 * concatenation, as Hadoop's CrcUtil and CrcComposer do for COMPOSITE_CRC
 * block and file checksums (the arithmetic is in `crc-math.ts`).
 */
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
