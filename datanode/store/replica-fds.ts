import { close, closeSync, fdatasync, open, openSync, read, rename, renameSync, write, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { InlineWrites } from './inline-writes';
import { readFully } from './replica-files';

const openAsync = promisify(open);
const closeAsync = promisify(close);
const writeAsync = promisify(write);
const readAsync = promisify(read);
const renameAsync = promisify(rename);
const fdatasyncAsync = promisify(fdatasync);

/** A replica's two open files: raw descriptors, closed only by `closeBoth`. */
export interface ReplicaFds {
  readonly data: number;
  readonly meta: number;
}

/**
 * The file operations of a replica being written, each run synchronously on
 * the event loop or through libuv's thread pool as `InlineWrites` decides:
 * open, append, close and rename of both files. For a 4 KiB block those are
 * most of a datanode's work, and each call through the pool is a hand-off to
 * a worker thread and back. Raw descriptors, not `FileHandle`s: a handle
 * can only be opened through the pool. fdatasync and reads always go through
 * the pool (a sync waits for the disk; a read is only an append's partial
 * chunk).
 */
export class ReplicaFdOps {
  readonly #inline: InlineWrites;

  constructor(inline: InlineWrites) {
    this.#inline = inline;
  }

  /** Both files opened; if either open fails the other is closed and the first error thrown. */
  openBoth(dataPath: string, dataFlags: string, metaPath: string, metaFlags: string): Promise<ReplicaFds> {
    return this.#inline.run(
      () => {
        const data = openSync(dataPath, dataFlags);
        try {
          return { data, meta: openSync(metaPath, metaFlags) };
        } catch (err) {
          closeSync(data);
          throw err;
        }
      },
      async () => {
        // Two threads, one wait.
        const [data, meta] = await Promise.allSettled([openAsync(dataPath, dataFlags), openAsync(metaPath, metaFlags)]);
        if (data.status === 'fulfilled' && meta.status === 'fulfilled') return { data: data.value, meta: meta.value };
        await Promise.all([data, meta].map((r) => (r.status === 'fulfilled' ? closeAsync(r.value).catch(() => undefined) : undefined)));
        throw data.status === 'rejected' ? data.reason : (meta as PromiseRejectedResult).reason;
      },
    );
  }

  /** `data` at `dataAt` in the data file and `meta` at `metaAt` in the meta file (either may be empty). */
  writeBoth(fds: ReplicaFds, data: Buffer, dataAt: number, meta: Buffer, metaAt: number): Promise<void> {
    return this.#inline.run(
      () => {
        writeFullySync(fds.data, data, dataAt);
        writeFullySync(fds.meta, meta, metaAt);
      },
      // Two files, two threads: neither write waits for the other.
      async () => void (await Promise.all([writeFully(fds.data, data, dataAt), writeFully(fds.meta, meta, metaAt)])),
    );
  }

  /** Both descriptors closed, even when closing the first fails. */
  closeBoth(fds: ReplicaFds): Promise<void> {
    return this.#inline.run(
      () => {
        try {
          closeSync(fds.data);
        } finally {
          closeSync(fds.meta);
        }
      },
      async () => {
        const results = await Promise.allSettled([closeAsync(fds.data), closeAsync(fds.meta)]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      },
    );
  }

  /**
   * Both of a replica's files moved into `dir`; `dir` is made only if
   * missing (ENOENT), and then only the renames that found it missing run
   * again. The order of the two does not matter to a crash: the startup scan
   * takes a block with either file outside finalized/ back as an RBW.
   */
  async renameBoth(dir: string, ...moves: [from: string, to: string][]): Promise<void> {
    const failed = await this.#inline.run(
      () => moves.flatMap((move) => attempt(() => renameSync(move[0], move[1]), move)),
      async () => {
        const results = await Promise.allSettled(moves.map(([from, to]) => renameAsync(from, to)));
        return results.flatMap((r, i): FailedMove[] => (r.status === 'rejected' ? [{ move: moves[i]!, err: r.reason as NodeJS.ErrnoException }] : []));
      },
    );
    if (failed.length === 0) return;
    const other = failed.find((f) => f.err.code !== 'ENOENT');
    if (other) throw other.err;
    await mkdir(dir, { recursive: true });
    for (const { move } of failed) await renameAsync(move[0], move[1]);
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  readAt(fd: number, position: number, length: number): Promise<Buffer> {
    return readFully((buf, offset, len, pos) => readAsync(fd, buf, offset, len, pos), position, length);
  }

  datasyncBoth(fds: ReplicaFds): Promise<void> {
    return Promise.all([fdatasyncAsync(fds.data), fdatasyncAsync(fds.meta)]).then(() => undefined);
  }
}

type FailedMove = { move: [from: string, to: string]; err: NodeJS.ErrnoException };

function attempt(op: () => void, move: [from: string, to: string]): FailedMove[] {
  try {
    op();
    return [];
  } catch (err) {
    return [{ move, err: err as NodeJS.ErrnoException }];
  }
}

async function writeFully(fd: number, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) done += (await writeAsync(fd, buffer, done, buffer.length - done, position + done)).bytesWritten;
}

/** pwrite of all of `buffer` at `position`, synchronously (a regular file may take less than asked in one call, e.g. near a full disk). */
export function writeFullySync(fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done, position + done);
}
