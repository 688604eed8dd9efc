import { userInfo } from 'node:os';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import type { CliRun } from '../cli/cli-process';
import { galeraFleetFixture, type GaleraCluster } from '../harness/galera-cluster';
import { ABSENT, staleReads, type ReadEvent, type WriteEvent } from '../harness/stale-read-checker';

const H = hadoop.hdfs;
const USER = userInfo().username;
const DIRS = 4;
const RUN_MS = 6000;

/**
 * Namenodes on two nodes of a Galera cluster, with the coherent cache
 * `nnfleet up` starts by default: a write acknowledged through one namenode
 * is seen by every read that begins afterwards through the other. Galera
 * applies a write set on the other nodes after the writer's COMMIT returns,
 * and a row lock taken on one node is not seen on another, so neither the
 * database's read (without a causality wait) nor the cache's installs (which
 * rely on a writer's locks) give that by themselves.
 */
describe('galera: reads through one namenode see writes acknowledged through another', () => {
  const startFleet = galeraFleetFixture('nngalr-');

  it(
    'no stale read in a few seconds of writes through namenode-2 and reads through namenode-1',
    async () => {
      const { cluster, up, fleet } = await startFleet();
      const [nn1, nn2] = fleet.namenodes;
      if (!nn1 || !nn2) throw new Error('two namenodes expected');
      const connect = async (rpc: string): Promise<IpcClient> => {
        const [host = '', port = ''] = rpc.split(':');
        return IpcClient.connect({ host, port: Number(port), user: USER, protocolName: CLIENT_PROTOCOL, connectTimeoutMs: 3000 });
      };
      const writers = await Promise.all([0, 1].map(() => connect(nn2.rpc)));
      const readers = await Promise.all([0, 1, 2, 3].map(() => connect(nn1.rpc)));
      const followers = await Promise.all([0, 1].map(() => connect(nn1.rpc)));
      const all = [...writers, ...readers, ...followers];
      try {
        const mkdirs = (c: IpcClient, src: string) => c.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
        const stat = async (c: IpcClient, src: string): Promise<string> => {
          const res = await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto);
          return res.fs ? `p${(res.fs.permission.perm & 0o777).toString(8)}` : ABSENT;
        };
        const [w0] = writers;
        if (!w0) throw new Error('no writer');
        for (let d = 0; d < DIRS; d++) await mkdirs(w0, `/r/d${d}`);
        // Every namenode has the directories' rows cached before the writes begin.
        for (const r of readers) for (let d = 0; d < DIRS; d++) await stat(r, `/r/d${d}`);

        const writes: WriteEvent[] = [];
        const reads: ReadEvent[] = [];
        const end = performance.now() + RUN_MS;
        let perm = 0;
        const writer = async (c: IpcClient, follower: IpcClient, w: number): Promise<void> => {
          for (let i = 0; performance.now() < end; i++) {
            // A permission change of a directory whose row every namenode caches…
            const dir = `/r/d${(w * 2 + (i % 2)) % DIRS}`;
            const p = 0o700 | (perm++ % 64);
            let inv = performance.now();
            await c.call('setPermission', H.SetPermissionRequestProto, { src: dir, permission: { perm: p } }, H.SetPermissionResponseProto);
            writes.push({ register: dir, effect: { kind: 'exact', value: `p${p.toString(8)}` }, inv, resp: performance.now(), what: `setPermission ${dir} ${p.toString(8)}` });
            // …and a new directory, read through the other namenode as soon as it is acknowledged.
            const fresh = `/r/w${w}/n${i}`;
            inv = performance.now();
            await mkdirs(c, fresh);
            writes.push({ register: fresh, effect: { kind: 'present' }, inv, resp: performance.now(), what: `mkdirs ${fresh}` });
            inv = performance.now();
            const seen = await stat(follower, fresh);
            reads.push({ register: fresh, value: seen === ABSENT ? ABSENT : 'present', inv, resp: performance.now(), what: `getFileInfo ${fresh}` });
          }
        };
        const reader = async (c: IpcClient, r: number): Promise<void> => {
          for (let i = 0; performance.now() < end; i++) {
            const dir = `/r/d${(r + i) % DIRS}`;
            const inv = performance.now();
            const value = await stat(c, dir);
            reads.push({ register: dir, value, inv, resp: performance.now(), what: `getFileInfo ${dir}` });
          }
        };
        // The directories' creation is the first write of each register.
        for (let d = 0; d < DIRS; d++) writes.push({ register: `/r/d${d}`, effect: { kind: 'exact', value: 'p755' }, inv: 0, resp: 0, what: `mkdirs /r/d${d}` });
        await Promise.all([
          ...writers.map((c, w) => writer(c, followers[w] as IpcClient, w)),
          ...readers.map((c, r) => reader(c, r)),
        ]);
        const stale = staleReads(writes, reads);
        console.info(
          `galera cross-node reads: ${writes.length - DIRS} writes through namenode-2, ${reads.length} reads through namenode-1, ${stale.length} stale` +
            (stale.length > 0 ? `; first: ${stale.slice(0, 3).map((v) => `${v.read.what} = ${v.read.value} after ${v.supersededBy?.what ?? '?'}`).join('; ')}` : ''),
        );
        expect(reads.length).toBeGreaterThan(100);
        expect(stale).toEqual([]);
      } finally {
        await Promise.all(all.map((c) => c.close().catch(() => undefined)));
      }
      up.child.kill('SIGTERM');
      expect(await up.exited).toBe(0);
    },
    150_000,
  );
});
