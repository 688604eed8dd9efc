/**
 * The Swift store's bounded read cache: fixed-size windows of objects, kept
 * in memory least-recently-used first out, so hot blocks (a block's header
 * read again and again, small files read by many tasks) cost no GET while
 * a large scan streams through with ranged GETs and evicts only windows.
 * Concurrent misses on one window share its GET.
 */
export class SwiftReadCache {
  readonly #windows = new Map<string, Buffer>();
  readonly #pending = new Map<string, Promise<Buffer>>();
  #bytes = 0;

  constructor(
    /** The most bytes held; 0 turns the cache off (every read is a ranged GET of what it needs). */
    readonly capacityBytes: number,
    /** Window size: a multiple of the checksum chunk size keeps a chunk's bytes in one window. */
    readonly windowBytes: number,
  ) {}

  /** Bytes [start, end) of object `name` (`size` bytes long), through the cache; `get` is a ranged GET. */
  async read(name: string, size: number, start: number, end: number, get: (start: number, end: number) => Promise<Buffer>): Promise<Buffer> {
    end = Math.min(end, size);
    if (end <= start) return Buffer.alloc(0);
    if (this.capacityBytes <= 0) return get(start, end);
    const parts: Buffer[] = [];
    for (let w = Math.floor(start / this.windowBytes); w * this.windowBytes < end; w++) {
      const base = w * this.windowBytes;
      const window = await this.#window(name, w, () => get(base, Math.min(size, base + this.windowBytes)));
      parts.push(window.subarray(Math.max(0, start - base), Math.min(window.length, end - base)));
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** Drops every window of `name` (the object was retired or deleted). */
  forget(name: string): void {
    for (const [key, buf] of this.#windows) {
      if (key.startsWith(`${name}@`)) {
        this.#windows.delete(key);
        this.#bytes -= buf.length;
      }
    }
  }

  async #window(name: string, index: number, get: () => Promise<Buffer>): Promise<Buffer> {
    const key = `${name}@${index}`;
    const hit = this.#windows.get(key);
    if (hit) {
      this.#windows.delete(key);
      this.#windows.set(key, hit);
      return hit;
    }
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const fetching = get().finally(() => this.#pending.delete(key));
    this.#pending.set(key, fetching);
    const buf = await fetching;
    if (buf.length <= this.capacityBytes && !this.#windows.has(key)) {
      this.#windows.set(key, buf);
      this.#bytes += buf.length;
      for (const [k, b] of this.#windows) {
        if (this.#bytes <= this.capacityBytes) break;
        this.#windows.delete(k);
        this.#bytes -= b.length;
      }
    }
    return buf;
  }
}
