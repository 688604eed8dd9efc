import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplicaAlreadyExistsError, ReplicaNotFoundError, ReplicaStateError, type BlockStore, type ReplicaKey } from '../../datanode/store/block-store';
import { LocalBlockStore } from '../../datanode/store/local-block-store';
import { ChecksumType, computeChunkChecksums } from '../../protocol/datatransfer/checksum';

// The BlockStore contract as an object store must also honour it, exercised on the local store.
const SPEC = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 } as const;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnfleet-life-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

async function finalized(store: BlockStore, key: ReplicaKey, data: Buffer): Promise<void> {
  const writer = await store.createRbw(key.blockId, key.generationStamp, SPEC);
  await writer.append(data, computeChunkChecksums(SPEC, data));
  await writer.finalize();
}

async function read(store: BlockStore, key: ReplicaKey, offset: number, length: number): Promise<Buffer> {
  const reader = await store.openReader(key);
  try {
    return await reader.readData(offset, length);
  } finally {
    await reader.close();
  }
}

function finalizedFiles(blockId: number): string[] {
  return readdirSync(join(dir, 'current', 'finalized'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith(`blk_${blockId}`))
    .map((e) => e.name)
    .sort();
}

describe('replica life cycle through the BlockStore contract (local store)', () => {
  it('rbw → finalize → positional reads, while being written and once finalized', async () => {
    const store = await LocalBlockStore.open(dir);
    const data = bytes(3000);
    const writer = await store.createRbw(20, 4, SPEC);
    await writer.append(data.subarray(0, 1024), computeChunkChecksums(SPEC, data.subarray(0, 1024)));
    expect((await read(store, { blockId: 20, generationStamp: 4 }, 100, 400)).equals(data.subarray(100, 500))).toBe(true);
    // A read past what is written is cut at the replica's length.
    expect((await read(store, { blockId: 20, generationStamp: 4 }, 900, 500)).equals(data.subarray(900, 1024))).toBe(true);

    await writer.append(data.subarray(1024), computeChunkChecksums(SPEC, data.subarray(1024)));
    expect(await writer.finalize()).toMatchObject({ blockId: 20, generationStamp: 4, numBytes: 3000, state: 'finalized' });
    const reader = await store.openReader({ blockId: 20, generationStamp: 4 });
    try {
      expect((await reader.readData(2048, 952)).equals(data.subarray(2048))).toBe(true);
      expect((await reader.readChecksums(2, 4)).equals(computeChunkChecksums(SPEC, data).subarray(8))).toBe(true);
    } finally {
      await reader.close();
    }
    await expect(writer.append(bytes(10), computeChunkChecksums(SPEC, bytes(10)))).rejects.toThrow(/closed/);
  });

  it('appends as a new generation: the old one is retired, its bytes carried over', async () => {
    const store = await LocalBlockStore.open(dir);
    const head = bytes(700);
    await finalized(store, { blockId: 21, generationStamp: 1 }, head);
    const before = await store.openReader({ blockId: 21, generationStamp: 1 });

    const writer = await store.openNewGeneration({ blockId: 21, generationStamp: 1 }, { kind: 'append', generationStamp: 2, length: 700 });
    expect(writer.info()).toMatchObject({ generationStamp: 2, numBytes: 700, state: 'rbw' });
    expect(store.list()).toEqual([expect.objectContaining({ blockId: 21, generationStamp: 2, state: 'rbw' })]);
    await expect(store.openReader({ blockId: 21, generationStamp: 1 })).rejects.toBeInstanceOf(ReplicaNotFoundError);
    expect(finalizedFiles(21)).toEqual([]);

    const tail = bytes(900, 9);
    await writer.append(tail, computeChunkChecksums(SPEC, tail));
    await writer.finalize();
    expect(finalizedFiles(21)).toEqual(['blk_21', 'blk_21_2.meta']);
    expect((await read(store, { blockId: 21, generationStamp: 2 }, 0, 1600)).equals(Buffer.concat([head, tail]))).toBe(true);
    // A reader of the old generation still sees exactly what it opened.
    expect((await before.readData(0, 1600)).equals(head)).toBe(true);
    await before.close();
  });

  it('recovers a finalized replica to a shorter length as a new generation', async () => {
    const store = await LocalBlockStore.open(dir);
    const data = bytes(2000);
    await finalized(store, { blockId: 22, generationStamp: 3 }, data);
    const writer = await store.openNewGeneration({ blockId: 22, generationStamp: 3 }, { kind: 'recovery', generationStamp: 8, minBytes: 0, maxBytes: 1300 });
    expect(writer.info()).toMatchObject({ generationStamp: 8, numBytes: 1300, state: 'rbw' });
    expect(await writer.finalize()).toMatchObject({ generationStamp: 8, numBytes: 1300, state: 'finalized' });
    expect(finalizedFiles(22)).toEqual(['blk_22', 'blk_22_8.meta']);
    expect((await read(store, { blockId: 22, generationStamp: 8 }, 0, 2000)).equals(data.subarray(0, 1300))).toBe(true);
    await expect(store.openReader({ blockId: 22, generationStamp: 3 })).rejects.toBeInstanceOf(ReplicaNotFoundError);

    const reopened = await LocalBlockStore.open(dir);
    expect(reopened.list()).toEqual([expect.objectContaining({ blockId: 22, generationStamp: 8, numBytes: 1300, state: 'finalized' })]);
  });

  it('never changes a finalized replica in place: what would is refused and leaves its files as they were', async () => {
    const store = await LocalBlockStore.open(dir);
    const data = bytes(1500);
    const key = { blockId: 23, generationStamp: 5 };
    await finalized(store, key, data);
    const sub = join(dir, 'current', 'finalized', 'subdir0', 'subdir0');
    const files = (): Buffer[] => [readFileSync(join(sub, 'blk_23')), readFileSync(join(sub, 'blk_23_5.meta'))];
    const original = files();

    await expect(store.createRbw(23, 6, SPEC)).rejects.toBeInstanceOf(ReplicaAlreadyExistsError);
    await expect(store.openNewGeneration(key, { kind: 'append', generationStamp: 6, length: 1000 })).rejects.toBeInstanceOf(ReplicaStateError);
    await expect(store.openNewGeneration(key, { kind: 'append', generationStamp: 4, length: 1500 })).rejects.toBeInstanceOf(ReplicaStateError);
    await expect(store.openNewGeneration(key, { kind: 'recovery', generationStamp: 6, minBytes: 1501, maxBytes: 2000 })).rejects.toBeInstanceOf(ReplicaStateError);

    expect(files()).toEqual(original);
    expect(store.get(23)).toMatchObject({ ...key, numBytes: 1500, state: 'finalized' });
    expect((await read(store, key, 0, 1500)).equals(data)).toBe(true);
  });

  it('refuses an append to a replica that is not finalized', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(24, 1, SPEC);
    await writer.append(bytes(100), computeChunkChecksums(SPEC, bytes(100)));
    await writer.release();
    await expect(store.openNewGeneration({ blockId: 24, generationStamp: 1 }, { kind: 'append', generationStamp: 2, length: 100 })).rejects.toBeInstanceOf(
      ReplicaStateError,
    );
    expect(store.get(24)).toMatchObject({ generationStamp: 1, numBytes: 100, state: 'rbw' });
  });

  it('refuses unknown blocks and generation stamps other than the one held', async () => {
    const store = await LocalBlockStore.open(dir);
    const key = { blockId: 25, generationStamp: 7 };
    await finalized(store, key, bytes(600));
    const stale = { blockId: 25, generationStamp: 6 };
    const unknown = { blockId: 26, generationStamp: 7 };

    await expect(store.openReader(stale)).rejects.toBeInstanceOf(ReplicaNotFoundError);
    await expect(store.openReader({ blockId: 25, generationStamp: 8 })).rejects.toBeInstanceOf(ReplicaNotFoundError);
    await expect(store.openReader(unknown)).rejects.toBeInstanceOf(ReplicaNotFoundError);
    await expect(store.openNewGeneration(stale, { kind: 'recovery', generationStamp: 9, minBytes: 0, maxBytes: 600 })).rejects.toBeInstanceOf(ReplicaNotFoundError);
    await expect(store.openNewGeneration(unknown, { kind: 'append', generationStamp: 9, length: 0 })).rejects.toBeInstanceOf(ReplicaNotFoundError);
    expect(await store.delete(stale)).toBe(false);
    expect(await store.delete(unknown)).toBe(false);
    expect(store.get(25)).toMatchObject({ ...key, numBytes: 600, state: 'finalized' });
    expect(await store.delete(key)).toBe(true);
  });

  it('reports its own usage and that local disk is not shared', async () => {
    const store = await LocalBlockStore.open(dir);
    expect(store.shared).toBe(false);
    await finalized(store, { blockId: 27, generationStamp: 1 }, bytes(1025));
    const usage = await store.usage();
    const sub = join(dir, 'current', 'finalized', 'subdir0', 'subdir0');
    expect(usage.used).toBe(statSync(join(sub, 'blk_27')).size + statSync(join(sub, 'blk_27_1.meta')).size);
    expect(usage.capacity).toBeGreaterThan(0);
    expect(usage.remaining).toBeGreaterThan(0);
    expect(usage.remaining).toBeLessThanOrEqual(usage.capacity);
  });
});
