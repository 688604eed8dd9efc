import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';

let f: DataFleet;
let work: string;
const BLOCK = 1024 * 1024;
beforeAll(async () => {
  f = await dataFleet('e2edata', 3, { blockSize: BLOCK, replication: 3, housekeepingIntervalMs: 300 });
  work = mkdtempSync(join(tmpdir(), 'nnfleet-e2e-'));
});
afterAll(async () => {
  await f.close();
  rmSync(work, { recursive: true, force: true });
});

const su = (...args: string[]) => hdfs(f.address, f.superuser, args);
const ok = stdoutOf;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

test.each([0, 1, 511, 512, 513, 1024 * 1024, 3 * BLOCK + 12345])('put then cat/get of %d bytes is byte-identical', async (size) => {
  const data = randomBytes(size);
  const local = join(work, `in-${size}`);
  writeFileSync(local, data);
  await ok(su('mkdir', '-p', '/data'));
  await ok(su('put', local, `/data/f-${size}`));
  const out = join(work, `out-${size}`);
  await ok(su('get', `/data/f-${size}`, out));
  expect(md5(readFileSync(out))).toBe(md5(data));
  const listing = await ok(su('ls', '-l', `/data/f-${size}`));
  expect(listing).toContain(` ${size} `);
});

describe('reading commands', () => {
  const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  beforeAll(async () => {
    writeFileSync(join(work, 'lines.txt'), text);
    await ok(su('mkdir', '-p', '/read'));
    await ok(su('put', join(work, 'lines.txt'), '/read/a.txt'));
    await ok(su('put', join(work, 'lines.txt'), '/read/b.txt'));
  });

  test('cat, head, tail', async () => {
    expect(await ok(su('cat', '/read/a.txt'))).toBe(text);
    expect(await ok(su('head', '-n', '3', '/read/a.txt'))).toBe('line 0\nline 1\nline 2\n');
    expect(await ok(su('tail', '-n', '2', '/read/a.txt'))).toBe('line 1998\nline 1999\n');
    expect(await ok(su('head', '-c', '7', '/read/a.txt'))).toBe('line 0\n');
  });

  test('getmerge concatenates a directory', async () => {
    const out = join(work, 'merged.txt');
    await ok(su('getmerge', '/read', out));
    expect(readFileSync(out, 'utf8')).toBe(text + text);
  });

  test('checksum is the same for equal content and differs otherwise', async () => {
    const a = (await ok(su('checksum', '/read/a.txt'))).split(/\s+/)[0];
    const b = (await ok(su('checksum', '/read/b.txt'))).split(/\s+/)[0];
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(b);
    writeFileSync(join(work, 'other.txt'), text.replace('line 5', 'line X'));
    await ok(su('put', join(work, 'other.txt'), '/read-other.txt'));
    expect((await ok(su('checksum', '/read-other.txt'))).split(/\s+/)[0]).not.toBe(a);
  });

  test('df reports the datanodes capacity', async () => {
    const df = await ok(su('df'));
    const [, line] = df.trim().split('\n');
    const [, size, used] = (line ?? '').trim().split(/\s+/);
    expect(Number(size)).toBeGreaterThan(0);
    expect(Number(used)).toBeGreaterThanOrEqual(0);
  });
});

describe('replication', () => {
  test('every block of a replication-3 file is on 3 datanodes, and lowering it to 1 leaves one copy', async () => {
    const { makeCaller } = await import('../../namenode/security/caller');
    const ns = f.namenode.namesystem;
    const caller = makeCaller(f.superuser, [], ns.config);
    const data = randomBytes(2 * BLOCK + 100);
    writeFileSync(join(work, 'rep3'), data);
    await ok(su('put', join(work, 'rep3'), '/rep3'));
    // The file closes once each block has its minimum copy reported; the others follow in the datanodes' reports.
    const { eventually } = await import('../harness/replica-files');
    const located = await eventually('3 reported copies of every block', async () => {
      const l = await ns.getBlockLocations(caller, '/rep3', 0, data.length);
      return l.blocks.every((b) => b.locations.length === 3) ? l : undefined;
    });
    expect(located.blocks).toHaveLength(3);
    for (const b of located.blocks) expect(new Set(b.locations.map((l) => l.datanode.uuid)).size).toBe(3);
    expect(await ns.setReplication(caller, '/rep3', 1)).toBe(true);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const now = await ns.getBlockLocations(caller, '/rep3', 0, data.length);
      if (now.blocks.every((b) => b.locations.length === 1)) break;
      if (Date.now() > deadline) throw new Error('excess replicas were not removed');
      await new Promise((r) => setTimeout(r, 200));
    }
    const out = join(work, 'rep3-out');
    await ok(su('get', '/rep3', out));
    expect(md5(readFileSync(out))).toBe(md5(data));
  });
});

describe('append', () => {
  test('appending to a partial last block and across a block boundary reads back byte-identical', async () => {
    const { goAppend } = await import('../harness/go-programs');
    const first = randomBytes(BLOCK - 1000);
    writeFileSync(join(work, 'app'), first);
    await ok(su('put', join(work, 'app'), '/app'));
    const second = randomBytes(5000);
    const r = await goAppend(f.address, f.superuser, '/app', second);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const third = randomBytes(3000);
    expect((await goAppend(f.address, f.superuser, '/app', third)).code).toBe(0);
    const out = join(work, 'app-out');
    await ok(su('get', '/app', out));
    expect(md5(readFileSync(out))).toBe(md5(Buffer.concat([first, second, third])));
  });
});
