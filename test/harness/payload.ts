import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Deterministic pseudo-random bytes (an LCG): a test's data, reproducible from its seed. */
export function payload(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** SHA-256 (hex) of a file, streamed: files of hundreds of MiB compare without being held twice. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
