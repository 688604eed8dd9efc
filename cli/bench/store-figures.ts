import { int64ToNumber } from '../../protocol/long-values';
import type { NamenodeClient } from '../../protocol/client/namenode-client';
import { readBlockRange } from '../../protocol/client/block-reader';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';

/** The data path's figures for one kind of block storage, all through the real data client. */
export interface StoreFigures {
  readonly store: string;
  readonly bigMiB: number;
  readonly bigWriteMiBps: number;
  readonly bigReadMiBps: number;
  readonly smallFiles: number;
  readonly smallBytes: number;
  readonly smallWriteFilesPerSec: number;
  readonly smallReadFilesPerSec: number;
  readonly smallWriteMiBps: number;
  readonly smallReadMiBps: number;
  readonly rangedReads: number;
  readonly rangedBytes: number;
  readonly rangedP50Ms: number;
  readonly rangedP99Ms: number;
}

const MiB = 1024 * 1024;
const TIMEOUTS = { connectTimeoutMs: 10_000, socketTimeoutMs: 60_000 };

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * Under `dir` (whose storage policy chose the store): one big file written
 * and read whole, `smallFiles` one-block files written then read, and
 * `rangedReads` positional reads of `rangedBytes` at random offsets of the
 * big file (getBlockLocations of the range, then one READ_BLOCK of it).
 * Replication 1: a Swift block is one object whatever the replication.
 */
export async function measureStore(
  client: NamenodeClient,
  o: { store: string; dir: string; bigMiB: number; blockSize: number; smallFiles: number; smallBytes: number; rangedReads: number; rangedBytes: number },
): Promise<StoreFigures> {
  const data = new DtpFileDataClient({ blockSize: o.blockSize, replication: 1 });
  const big = `${o.dir}/big`;
  const bigBytes = o.bigMiB * MiB;
  const seconds = async (f: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    await f();
    return (performance.now() - t0) / 1000;
  };
  const bigWrite = await seconds(() => data.writeFile(client, big, bigBytes));
  const bigRead = await seconds(async () => {
    const n = await data.readFile(client, big);
    if (n !== bigBytes) throw new Error(`read ${n} of ${bigBytes} bytes of ${big}`);
  });
  const latencies: number[] = [];
  for (let i = 0; i < o.rangedReads; i++) {
    const offset = Math.floor(Math.random() * (bigBytes - o.rangedBytes));
    const t0 = performance.now();
    const located = await client.getBlockLocations(big, offset, o.rangedBytes);
    const lb = located?.blocks?.find((b) => int64ToNumber(b.offset) <= offset && offset < int64ToNumber(b.offset) + int64ToNumber(b.b.numBytes ?? 0));
    if (!lb) throw new Error(`no block of ${big} at ${offset}`);
    const inBlock = offset - int64ToNumber(lb.offset);
    const length = Math.min(o.rangedBytes, int64ToNumber(lb.b.numBytes ?? 0) - inBlock);
    const n = await readBlockRange({ located: lb, clientName: client.clientName, ...TIMEOUTS }, inBlock, length, () => undefined);
    if (n !== length) throw new Error(`ranged read of ${big} at ${offset}: ${n} of ${length} bytes`);
    latencies.push(performance.now() - t0);
  }
  const small = (i: number) => `${o.dir}/small/f${i}`;
  const smallWrite = await seconds(async () => {
    for (let i = 0; i < o.smallFiles; i++) await data.writeFile(client, small(i), o.smallBytes);
  });
  const smallRead = await seconds(async () => {
    for (let i = 0; i < o.smallFiles; i++) {
      const n = await data.readFile(client, small(i));
      if (n !== o.smallBytes) throw new Error(`read ${n} of ${o.smallBytes} bytes of ${small(i)}`);
    }
  });
  await client.delete(o.dir, true);
  latencies.sort((a, b) => a - b);
  const smallMiB = (o.smallFiles * o.smallBytes) / MiB;
  return {
    store: o.store,
    bigMiB: o.bigMiB,
    bigWriteMiBps: o.bigMiB / bigWrite,
    bigReadMiBps: o.bigMiB / bigRead,
    smallFiles: o.smallFiles,
    smallBytes: o.smallBytes,
    smallWriteFilesPerSec: o.smallFiles / smallWrite,
    smallReadFilesPerSec: o.smallFiles / smallRead,
    smallWriteMiBps: smallMiB / smallWrite,
    smallReadMiBps: smallMiB / smallRead,
    rangedReads: o.rangedReads,
    rangedBytes: o.rangedBytes,
    rangedP50Ms: quantile(latencies, 0.5),
    rangedP99Ms: quantile(latencies, 0.99),
  };
}
