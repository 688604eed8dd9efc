import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs } from '../harness/go-hdfs';

let f: DataFleet;
let work: string;
const BLOCK = 1024 * 1024;
beforeAll(async () => {
  f = await dataFleet('e2edata', 3, { blockSize: BLOCK, replication: 3 });
  work = mkdtempSync(join(tmpdir(), 'nnfleet-e2e-'));
});
afterAll(async () => {
  await f.close();
  rmSync(work, { recursive: true, force: true });
});

const su = (...args: string[]) => hdfs(f.address, f.superuser, args);
const ok = async (p: ReturnType<typeof su>) => {
  const r = await p;
  if (r.code !== 0) throw new Error(`hdfs ${r.code}: ${r.stderr}`);
  return r.stdout;
};
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
