import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplicaAlreadyExistsError, ReplicaNotFoundError, ReplicaStateError, type ReplicaInfo } from '../../datanode/store/block-store';
import { LocalBlockStore } from '../../datanode/store/local-block-store';
import { ChecksumType, computeChunkChecksums } from '../../protocol/datatransfer/checksum';

const SPEC = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 } as const;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnfleet-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

function held(store: LocalBlockStore, blockId: number): ReplicaInfo {
  const replica = store.get(blockId);
  if (!replica) throw new Error(`no replica of block ${blockId}`);
  return replica;
}

async function readAll(store: LocalBlockStore, blockId: number): Promise<Buffer> {
  const reader = await store.openReader(held(store, blockId));
  try {
    return await reader.readData(0, reader.info.numBytes);
  } finally {
    await reader.close();
  }
}

describe('LocalBlockStore', () => {
  it('keeps an RBW replica out of the finalized listing until finalize', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(10, 1001, SPEC);
    const data = bytes(1500);
    await writer.append(data, computeChunkChecksums(SPEC, data));
    expect(store.list()).toEqual([expect.objectContaining({ blockId: 10, state: 'rbw', numBytes: 1500 })]);
    expect(readdirSync(join(dir, 'current', 'rbw')).sort()).toEqual(['blk_10', 'blk_10_1001.meta']);

    const info = await writer.finalize();
    expect(info).toMatchObject({ state: 'finalized', numBytes: 1500, generationStamp: 1001 });
    expect(readdirSync(join(dir, 'current', 'rbw'))).toEqual([]);
    expect((await readAll(store, 10)).equals(data)).toBe(true);
    await expect(store.createRbw(10, 1002, SPEC)).rejects.toBeInstanceOf(ReplicaAlreadyExistsError);
  });

  it.each([false, true])('finalizes the same files with syncOnClose %s (dfs.datanode.synconclose), found finalized after a reopen', async (syncOnClose) => {
    const store = await LocalBlockStore.open(dir, { syncOnClose });
    const writer = await store.createRbw(12, 5, SPEC);
    const data = bytes(4096);
    await writer.append(data, computeChunkChecksums(SPEC, data));
    await writer.finalize();
    expect(readdirSync(join(dir, 'current', 'finalized', 'subdir0', 'subdir0')).sort()).toEqual(['blk_12', 'blk_12_5.meta']);
    const reopened = await LocalBlockStore.open(dir);
    expect(reopened.list()).toEqual([expect.objectContaining({ blockId: 12, state: 'finalized', numBytes: 4096 })]);
    expect((await readAll(reopened, 12)).equals(data)).toBe(true);
  });

  it('recreates rbw/ and the finalized subdirs when they are gone (made on demand, not per replica)', async () => {
    const store = await LocalBlockStore.open(dir);
    rmSync(join(dir, 'current', 'rbw'), { recursive: true });
    const writer = await store.createRbw(70000, 7, SPEC);
    const data = bytes(700);
    await writer.append(data, computeChunkChecksums(SPEC, data));
    rmSync(join(dir, 'current', 'finalized'), { recursive: true });
    await writer.finalize();
    expect(readdirSync(join(dir, 'current', 'finalized', 'subdir1', 'subdir17')).sort()).toEqual(['blk_70000', 'blk_70000_7.meta']);
    expect((await readAll(store, 70000)).equals(data)).toBe(true);
  });

  it.each([true, false])('writes a Hadoop meta file: header then one CRC32C per chunk (inline writes %s)', async (inlineWrites) => {
    const store = await LocalBlockStore.open(dir, { inlineWrites });
    const writer = await store.createRbw(11, 7, SPEC);
    const data = bytes(1025);
    await writer.append(data, computeChunkChecksums(SPEC, data));
    await writer.finalize();
    const meta = readFileSync(join(dir, 'current', 'finalized', 'subdir0', 'subdir0', 'blk_11_7.meta'));
    expect(meta.subarray(0, 7)).toEqual(Buffer.from([0, 1, 2, 0, 0, 2, 0]));
    expect(meta.subarray(7).equals(computeChunkChecksums(SPEC, data))).toBe(true);
  });

  it('restarts with finalized replicas finalized and an interrupted write as RBW', async () => {
    const first = await LocalBlockStore.open(dir);
    const done = await first.createRbw(1, 100, SPEC);
    await done.append(bytes(700), computeChunkChecksums(SPEC, bytes(700)));
    await done.finalize();
    const halfway = await first.createRbw(2, 100, SPEC);
    await halfway.append(bytes(1000, 5), computeChunkChecksums(SPEC, bytes(1000, 5)));
    await halfway.release();

    const second = await LocalBlockStore.open(dir);
    const byId = new Map(second.list().map((r) => [r.blockId, r]));
    expect(byId.get(1)).toMatchObject({ state: 'finalized', numBytes: 700 });
    expect(byId.get(2)).toMatchObject({ state: 'rbw', numBytes: 1000 });
  });

  it('cuts a crashed RBW back to its last chunk with a matching checksum', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(3, 9, SPEC);
    await writer.append(bytes(1024), computeChunkChecksums(SPEC, bytes(1024)));
    await writer.release();
    // The crash: data for a third chunk reached the disk, its checksum did not,
    // and the second chunk's bytes were torn.
    const data = join(dir, 'current', 'rbw', 'blk_3');
    writeFileSync(data, Buffer.concat([bytes(1024).subarray(0, 600), Buffer.alloc(424, 0xee), bytes(300)]));
    const recovered = await LocalBlockStore.open(dir);
    expect(recovered.get(3)).toMatchObject({ state: 'rbw', numBytes: 512 });
    expect(statSync(data).size).toBe(512);
    expect((await readAll(recovered, 3)).equals(bytes(512))).toBe(true);
  });

  // The two renames of finalize run at once: a crash may leave either file behind in rbw/.
  it.each(['blk_4_3.meta', 'blk_4'])('never lists a block caught between the two renames of finalize as finalized (%s still in rbw/)', async (leftBehind) => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(4, 3, SPEC);
    await writer.append(bytes(512), computeChunkChecksums(SPEC, bytes(512)));
    await writer.finalize();
    const fin = join(dir, 'current', 'finalized', 'subdir0', 'subdir0');
    writeFileSync(join(dir, 'current', 'rbw', leftBehind), readFileSync(join(fin, leftBehind)));
    rmSync(join(fin, leftBehind));
    const reopened = await LocalBlockStore.open(dir);
    expect(reopened.get(4)).toMatchObject({ state: 'rbw', numBytes: 512 });
  });

  it('writes the meta header with the first checksums: an RBW cut off before any data is dropped, one released keeps its header', async () => {
    const store = await LocalBlockStore.open(dir);
    await store.createRbw(14, 2, SPEC);
    const released = await store.createRbw(15, 2, SPEC);
    await released.release();
    expect(readFileSync(join(dir, 'current', 'rbw', 'blk_15_2.meta'))).toEqual(Buffer.from([0, 1, 2, 0, 0, 2, 0]));
    const reopened = await LocalBlockStore.open(dir);
    expect(reopened.get(14)).toBeUndefined();
    expect(reopened.get(15)).toMatchObject({ state: 'rbw', numBytes: 0 });
  });

  it('finalizes an empty replica with its meta header', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(16, 4, SPEC);
    await writer.finalize();
    expect(readFileSync(join(dir, 'current', 'finalized', 'subdir0', 'subdir0', 'blk_16_4.meta'))).toEqual(Buffer.from([0, 1, 2, 0, 0, 2, 0]));
    expect((await LocalBlockStore.open(dir)).get(16)).toMatchObject({ state: 'finalized', numBytes: 0 });
  });

  it('drops an RBW whose meta file is missing', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(5, 3, SPEC);
    await writer.release();
    rmSync(join(dir, 'current', 'rbw', 'blk_5_3.meta'));
    expect((await LocalBlockStore.open(dir)).get(5)).toBeUndefined();
  });

  it.each([true, false])('appends to a finalized replica from an unaligned end, recomputing the straddling chunk (inline writes %s)', async (inlineWrites) => {
    const store = await LocalBlockStore.open(dir, { inlineWrites });
    const writer = await store.createRbw(6, 1, SPEC);
    const head = bytes(700);
    await writer.append(head, computeChunkChecksums(SPEC, head));
    await writer.finalize();
    const appender = await store.openNewGeneration({ blockId: 6, generationStamp: 1 }, { kind: 'append', generationStamp: 2, length: 700 });
    const tail = bytes(900, 9);
    await appender.append(tail, computeChunkChecksums(SPEC, tail));
    await appender.finalize();
    const all = Buffer.concat([head, tail]);
    expect(store.get(6)).toMatchObject({ generationStamp: 2, numBytes: 1600, state: 'finalized' });
    expect((await readAll(store, 6)).equals(all)).toBe(true);
    const reader = await store.openReader({ blockId: 6, generationStamp: 2 });
    expect((await reader.readChecksums(0, 4)).equals(computeChunkChecksums(SPEC, all))).toBe(true);
    await reader.close();
    // The file operations went the way asked: on the event loop (the first always; a slow one, on a loaded
    // machine, sends the next to the pool), or through the thread pool. Per generation: open both, append,
    // close both, rename both.
    const { inline, pooled } = store.inlineWrites;
    expect(inline + pooled).toBe(8);
    expect(inlineWrites ? inline >= 1 : inline === 0).toBe(true);
  });

  it('recovers an RBW for a new pipeline: new generation stamp, cut to the acknowledged bytes', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(7, 1, SPEC);
    await writer.append(bytes(2000), computeChunkChecksums(SPEC, bytes(2000)));
    await writer.release();
    const recovered = await store.openNewGeneration({ blockId: 7, generationStamp: 1 }, { kind: 'recovery', generationStamp: 5, minBytes: 1000, maxBytes: 1300 });
    expect(recovered.info()).toMatchObject({ generationStamp: 5, numBytes: 1300, state: 'rbw' });
    await recovered.finalize();
    const reopened = await LocalBlockStore.open(dir);
    expect(reopened.get(7)).toMatchObject({ generationStamp: 5, numBytes: 1300, state: 'finalized' });
    const reader = await reopened.openReader({ blockId: 7, generationStamp: 5 });
    expect((await reader.readChecksums(0, 3)).equals(computeChunkChecksums(SPEC, bytes(2000).subarray(0, 1300)))).toBe(true);
    await reader.close();
  });

  it('deletes replicas and their files', async () => {
    const store = await LocalBlockStore.open(dir);
    const writer = await store.createRbw(8, 1, SPEC);
    await writer.append(bytes(10), computeChunkChecksums(SPEC, bytes(10)));
    await writer.finalize();
    expect(await store.delete({ blockId: 8, generationStamp: 1 })).toBe(true);
    expect(await store.delete({ blockId: 8, generationStamp: 1 })).toBe(false);
    expect(store.list()).toEqual([]);
    expect(readdirSync(join(dir, 'current', 'finalized', 'subdir0', 'subdir0'))).toEqual([]);
  });
});
