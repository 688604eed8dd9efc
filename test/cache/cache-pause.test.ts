import { userInfo } from 'node:os';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { until } from '../harness/eventually';
import { startNamenodeProcess, type NamenodeProcess } from '../harness/namenode-process';
import { startRedis, type RedisFixture } from '../harness/redis-server';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

const USER = userInfo().username;
const LEASE_MS = 1000;
const MARGIN_MS = 100;

const metric = async (nn: NamenodeProcess, name: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${nn.httpPort}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name} is not on /metrics`);
  return Number(m[1]);
};

/** Two namenode processes on a fresh database and a private Redis, for one describe block (started before its tests, stopped after). */
function namenodePair(name: string, extra: readonly string[]): { nns: NamenodeProcess[]; clients: NamenodeClient[] } {
  let db: TestDatabase;
  let redis: RedisFixture;
  const nns: NamenodeProcess[] = [];
  const clients: NamenodeClient[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(name);
    redis = await startRedis();
    const flags = ['-D', `redisUrl=${redis.url}`, '-D', `cacheLeaseMs=${LEASE_MS}`, '-D', `cacheLeaseMarginMs=${MARGIN_MS}`, ...extra, '--superuser', USER];
    for (let i = 0; i < 2; i++) nns.push(await startNamenodeProcess(db.config, flags));
    for (const nn of nns) clients.push(await NamenodeClient.connect(`127.0.0.1:${nn.rpcPort}`, USER, `DFSClient_${name}_${nn.pid}`, new RpcCounter()));
    for (const nn of nns) await until('the namenode holds a cache lease', async () => (await metric(nn, 'nnfleet_inode_cache_lease_valid')) === 1);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    for (const nn of nns) {
      process.kill(nn.pid, 'SIGCONT');
      await nn.stop();
    }
    await redis?.stop();
    await db?.drop();
  });
  return { nns, clients };
}

/** How long the short pauses last: well inside a lease, so a namenode resumes still holding it. */
const SHORT_PAUSE_MS = LEASE_MS / 4;

/**
 * B (process `paused`) caches the path; B is stopped, A sets the permission,
 * B resumes after SHORT_PAUSE_MS (while A may still wait for its ack), and
 * once A's write is acknowledged B is asked: the permission B answers.
 */
async function shortPause(a: NamenodeClient, b: NamenodeClient, paused: NamenodeProcess, path: string, perm: number): Promise<string> {
  await b.getFileInfo(path);
  await b.getFileInfo(path);
  process.kill(paused.pid, 'SIGSTOP');
  const write = a.setPermission(path, perm);
  await new Promise((r) => setTimeout(r, SHORT_PAUSE_MS));
  process.kill(paused.pid, 'SIGCONT');
  await write;
  const seen = await b.getFileInfo(path);
  return (seen?.permission?.perm ?? -1).toString(8);
}

/**
 * Two namenode processes sharing one database and one Redis. One of them,
 * holding a path in its cache, is stopped with SIGSTOP for twice the lease
 * while the other changes the path; resumed, it must answer the new state
 * to a read that begins after the write was acknowledged.
 */
describe('a paused namenode does not serve its stale cache', () => {
  const { nns, clients } = namenodePair('cachepause', []);

  test('SIGSTOP for twice the lease, a write elsewhere, SIGCONT: the first read answers the write', async () => {
    const [a, b] = clients as [NamenodeClient, NamenodeClient];
    const paused = nns[1] as NamenodeProcess;
    expect(await a.mkdirs('/paused/dir', 0o755)).toBe(true);
    const waits: number[] = [];
    for (const perm of [0o711, 0o722, 0o733]) {
      // B reads the path twice: the second answer comes from its cache. After a
      // pause B first renews its lapsed lease (dropping its cache as it does);
      // a read that began before that renewal answered installs nothing.
      await until('the paused namenode holds its cache lease again', async () => (await metric(paused, 'nnfleet_inode_cache_lease_valid')) === 1);
      await b.getFileInfo('/paused/dir');
      const hits = await metric(paused, 'nnfleet_inode_cache_hits');
      await b.getFileInfo('/paused/dir');
      expect(await metric(paused, 'nnfleet_inode_cache_hits')).toBeGreaterThan(hits);

      process.kill(paused.pid, 'SIGSTOP');
      const started = performance.now();
      await a.setPermission('/paused/dir', perm);
      waits.push(performance.now() - started);
      // The write is acknowledged; B stays stopped for twice the lease in all.
      await new Promise((r) => setTimeout(r, Math.max(0, 2 * LEASE_MS - (performance.now() - started))));
      process.kill(paused.pid, 'SIGCONT');
      const seen = await b.getFileInfo('/paused/dir');
      expect((seen?.permission?.perm ?? -1).toString(8)).toBe(perm.toString(8));
    }
    console.log(`setPermission while the other namenode was stopped: ${waits.map((w) => w.toFixed(0)).join(', ')} ms (bound: lease ${LEASE_MS} + margin ${MARGIN_MS})`);
    console.log(`paused namenode: lapses ${await metric(paused, 'nnfleet_inode_cache_lapses')}, writer waited out ${await metric(nns[0] as NamenodeProcess, 'nnfleet_inode_cache_leases_waited_out')} silent leases`);
    expect(await metric(nns[0] as NamenodeProcess, 'nnfleet_inode_cache_leases_waited_out')).toBeGreaterThanOrEqual(3);
  });

  test('a pause shorter than the lease: the write waits for the resumed namenode, whose first read answers it', async () => {
    const [a, b] = clients as [NamenodeClient, NamenodeClient];
    expect(await a.mkdirs('/paused/short', 0o755)).toBe(true);
    for (const perm of [0o741, 0o742, 0o743]) expect(await shortPause(a, b, nns[1] as NamenodeProcess, '/paused/short', perm)).toBe(perm.toString(8));
  });
});

/**
 * The negative case: the same short pause with coherence switched off
 * (writers neither publish nor wait): the resumed namenode, still within
 * its lease, answers the state before an acknowledged write. Shows the
 * pause tests above can fail.
 */
describe('with coherence off, a paused namenode serves its stale cache', () => {
  const { nns, clients } = namenodePair('cachepauseoff', ['-D', 'cacheCoherenceForTests=off']);

  test('a pause shorter than the lease: the resumed namenode answers the permission before the write', async () => {
    const [a, b] = clients as [NamenodeClient, NamenodeClient];
    expect(await a.mkdirs('/paused/off', 0o755)).toBe(true);
    const seen: string[] = [];
    for (const perm of [0o751, 0o752, 0o753]) seen.push(await shortPause(a, b, nns[1] as NamenodeProcess, '/paused/off', perm));
    console.log(`coherence off, answers after each acknowledged setPermission 751, 752, 753: ${seen.join(', ')}`);
    const written = ['751', '752', '753'];
    expect(seen.filter((answer, i) => answer !== written[i]).length).toBeGreaterThan(0);
  });
});
