import type { IncomingMessage } from 'node:http';
import type { FileSource } from '../../protocol/client/file-writer';

/**
 * A CREATE or APPEND body as the file's bytes, pulled one chunk at a time
 * as the pipeline asks for them: no more than a packet and one socket chunk
 * is ever held, however large the upload, and a slow pipeline slows the
 * sender (the request is not read ahead).
 */
export class RequestBodySource implements FileSource {
  readonly #chunks: AsyncIterator<Buffer>;
  #pending: Buffer = Buffer.alloc(0);
  #done = false;
  #received = 0;

  constructor(req: IncomingMessage) {
    this.#chunks = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Bytes of the body received so far. */
  get received(): number {
    return this.#received;
  }

  async ended(): Promise<boolean> {
    return !(await this.#fill());
  }

  async read(max: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    while (n < max && (await this.#fill())) {
      const take = this.#pending.subarray(0, max - n);
      this.#pending = this.#pending.subarray(take.length);
      parts.push(take);
      n += take.length;
    }
    return Buffer.concat(parts, n);
  }

  /** Whether a byte is pending, reading the next chunk when none is. */
  async #fill(): Promise<boolean> {
    while (this.#pending.length === 0) {
      if (this.#done) return false;
      const next = await this.#chunks.next();
      if (next.done) {
        this.#done = true;
        return false;
      }
      this.#pending = next.value;
      this.#received += next.value.length;
    }
    return true;
  }
}
