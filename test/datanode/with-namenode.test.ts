import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { GO_HDFS, hdfs } from '../harness/go-hdfs';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { describeIf, prerequisite } from '../harness/prerequisite';

/**
 * Datanodes against a real namenode, written and read by the Go client:
 * registration, heartbeats, block reports and incremental reports as the
 * namenode decodes them.
 */
const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
let root: string;
let nn: NamenodeFixture;
const datanodes: RunningDatanode[] = [];

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nnfleet-dn-e2e-'));
  nn = await namenodeFixture('dn_e2e', { blockSize: 1024 * 1024, minBlockSize: 1024, heartbeatIntervalMs: 500 });
  for (const name of ['a', 'b', 'c']) {
    datanodes.push(
      await startDatanode({ dataDir: join(root, name), namenodes: [nn.address], host: '127.0.0.1', xferPort: 0, logger, heartbeatIntervalMs: 500, membershipKey: nn.db.membershipSecret }),
    );
  }
  await waitFor('all datanodes to register', () => datanodes.every((d) => d.reportingTo() === nn.address));
}, 60_000);

afterAll(async () => {
  await Promise.all(datanodes.map((d) => d.stop()));
  await nn?.close();
  rmSync(root, { recursive: true, force: true });
});

describeIf(prerequisite('the Go hdfs client', GO_HDFS, 'scripts/install-deps.sh'))('datanodes with a namenode and the Go client', () => {
  it.each([0, 1, 511, 512, 513, 1024 * 1024, 2_500_000])('puts and cats a file of %i bytes', async (size) => {
    const local = join(root, `in-${size}`);
    const back = join(root, `out-${size}`);
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 9)) & 0xff;
    writeFileSync(local, data);
    const put = await hdfs(nn.address, nn.superuser, ['put', local, `/f-${size}`]);
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    const get = await hdfs(nn.address, nn.superuser, ['get', `/f-${size}`, back]);
    expect(get.stderr).toBe('');
    expect(sha(back)).toBe(sha(local));
  });

  it('answers the checksum command', async () => {
    const local = join(root, 'sum');
    writeFileSync(local, Buffer.alloc(1_500_000, 3));
    expect((await hdfs(nn.address, nn.superuser, ['put', local, '/sum'])).code).toBe(0);
    const sum = await hdfs(nn.address, nn.superuser, ['checksum', '/sum']);
    expect(sum.stderr).toBe('');
    expect(sum.stdout).toMatch(/^[0-9a-f]{32}\s/);
  });
});
