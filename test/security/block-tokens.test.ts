import { startProcess } from '../harness/process-fixture';
import { randomBytes } from 'node:crypto';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { int64ToNumber } from '../../protocol/long-values';
import { makeCaller } from '../../namenode/security/caller';
import { issueBlockToken } from '../../protocol/security/block-token';
import { readBlock } from '../datanode/dtp-test-client';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { until } from '../harness/eventually';
import { GO_HDFS, hdfs, stdoutOf } from '../harness/go-hdfs';

const { Status } = hadoop.hdfs;
const BLOCK = 64 * 1024;
let f: DataFleet;
let client: IpcClient;

beforeAll(async () => {
  // Keys roll every two seconds and tokens live four: rolls within one test. A key is made one
  // interval before it signs, and datanodes learn it from heartbeats (every 500 ms) through the
  // namenode's key ring: the interval leaves that margin even on a loaded CI machine.
  f = await dataFleet('blk_tokens', 1, { blockSize: BLOCK, replication: 1, housekeepingIntervalMs: 200, blockKeyUpdateIntervalMs: 2000, blockTokenLifetimeMs: 4000 });
  const [host, port] = f.address.split(':');
  client = await IpcClient.connect({ host: host!, port: Number(port), user: f.superuser, protocolName: CLIENT_PROTOCOL });
}, 60_000);
afterAll(async () => {
  await client?.close();
  await f?.close();
});

const su = (args: string[], input?: string) => stdoutOf(hdfs(f.address, f.superuser, args, input));

async function locations(path: string): Promise<hadoop.hdfs.ILocatedBlockProto[]> {
  const r = await client.call(
    'getBlockLocations',
    hadoop.hdfs.GetBlockLocationsRequestProto,
    { src: path, offset: 0, length: 1 << 30 },
    hadoop.hdfs.GetBlockLocationsResponseProto,
  );
  return r.locations?.blocks ?? [];
}

const keyIds = async () =>
  (await f.namenode.namesystem.context.runner.query('test', f.namenode.namesystem.context.dal.security.findBlockKeys())).map((k) => k.keyId);

describe('block access tokens', () => {
  test('the Go client writes and reads with tokens on', async () => {
    const text = randomBytes(3 * BLOCK).toString('base64');
    await su(['put', '-', '/go-tokens'], text);
    expect(await su(['cat', '/go-tokens'])).toBe(text);
    const blocks = await locations('/go-tokens');
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks) expect(b.blockToken.kind).toBe('HDFS_BLOCK_TOKEN');
  });

  test('READ_BLOCK without a valid token for that block is refused with ERROR_ACCESS_TOKEN', async () => {
    await su(['put', '-', '/dtp-tokens'], randomBytes(2 * BLOCK).toString('base64'));
    const [first, second] = await locations('/dtp-tokens');
    const port = f.datanodes[0]!.xferPort;
    const poolId = first!.b.poolId;
    const blockId = int64ToNumber(first!.b.blockId);
    const read = (token?: hadoop.common.ITokenProto) => readBlock(port, blockId, 0, 100, { poolId, ...(token ? { token } : {}) });

    // The namenode's own token works: the refusals below are about the token alone.
    expect((await read(first!.blockToken)).response.status).toBe(Status.SUCCESS);
    expect((await read()).response.status).toBe(Status.ERROR_ACCESS_TOKEN);
    expect((await read(second!.blockToken)).response.status).toBe(Status.ERROR_ACCESS_TOKEN);
    expect((await read({ ...first!.blockToken, password: randomBytes(20) })).response.status).toBe(Status.ERROR_ACCESS_TOKEN);

    // Signed with the fleet's real current key, once expired and once not.
    const keys = await f.namenode.namesystem.context.runner.query('test', f.namenode.namesystem.context.dal.security.findBlockKeys());
    const key = keys.filter((k) => k.activatesAt <= Date.now()).at(-1)!;
    const signed = (expiryDate: number) =>
      issueBlockToken(
        { expiryDate, userId: f.superuser, blockPoolId: poolId, blockId: BigInt(blockId), modes: ['READ'], storageTypes: [], storageIds: [] },
        { keyId: key.keyId, expiryDate: key.expiresAt, secret: key.secret },
      );
    expect((await read(signed(Date.now() + 60_000))).response.status).toBe(Status.SUCCESS);
    expect((await read(signed(Date.now() - 1))).response.status).toBe(Status.ERROR_ACCESS_TOKEN);
  });

  test('keys roll while a long write continues, and the write succeeds', async () => {
    const before = new Set(await keyIds());
    const chunks = Array.from({ length: 40 }, () => randomBytes(BLOCK / 4).toString('base64'));
    const { child } = startProcess(GO_HDFS, ['put', '-', '/long-write'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HADOOP_NAMENODE: f.address, HADOOP_USER_NAME: f.superuser, HOME: process.env['HOME'] ?? '/tmp' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    // Fed in four parts with a key roll between each (polled), so the write outlives several keys and
    // a token's lifetime; a new block (and token) every third chunk; under execFile's 1 MiB output for the cat.
    const seen = new Set(before);
    for (let part = 0; part < 4; part++) {
      if (part > 0) {
        await until('a new block key', async () => (await keyIds()).some((id) => !seen.has(id)), 30_000, 100);
        for (const id of await keyIds()) seen.add(id);
      }
      for (const c of chunks.slice(part * 10, part * 10 + 10)) child.stdin?.write(c);
    }
    child.stdin?.end();
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    // `hdfs put -` ignores write and close errors (exit 0 regardless): the file must be closed and whole.
    const written = await f.namenode.namesystem.getFileInfo(makeCaller(f.superuser, [], f.namenode.namesystem.config), '/long-write');
    expect({ length: written?.length, open: written?.underConstruction }).toEqual({ length: chunks.join('').length, open: false });
    const rolled = (await keyIds()).filter((id) => !before.has(id));
    expect(rolled.length).toBeGreaterThan(0);
    expect(await su(['cat', '/long-write'])).toBe(chunks.join(''));
  }, 60_000);
});
