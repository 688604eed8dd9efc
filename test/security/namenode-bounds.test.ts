import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import type { RemoteError } from '../../protocol/ipc/ipc-errors';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { HintCache } from '../../namenode/tx/hint-cache';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';
import { startNamenodeProcess, type NamenodeProcess } from '../harness/namenode-process';
import { namesystemFixture } from '../harness/namesystem-fixture';
import { registeredDatanode } from './namenode-datanode-session';

const D = hadoop.hdfs.datanode;
const user = userInfo().username;
let db: TestDatabase;
let nn: NamenodeProcess;
let good: IpcClient;

const rssKiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const mkdirs = (src: string) =>
  good.call('mkdirs', hadoop.hdfs.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, hadoop.hdfs.MkdirsResponseProto);
const stat = async (src: string) => (await good.call('getFileInfo', hadoop.hdfs.GetFileInfoRequestProto, { src }, hadoop.hdfs.GetFileInfoResponseProto)).fs;
const refusal = async (p: Promise<unknown>): Promise<{ className: string; message: string }> => {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as RemoteError | undefined;
  if (!err) throw new Error('expected a refusal');
  return { className: err.className, message: err.message };
};

beforeAll(async () => {
  db = await createTestDatabase('nnbounds');
  nn = await startNamenodeProcess(db.config, ['--superuser', user]);
  good = await IpcClient.connect({ host: '127.0.0.1', port: nn.rpcPort, user, protocolName: CLIENT_PROTOCOL });
  await mkdirs('/still/here');
});
afterAll(async () => {
  await good?.close();
  await nn?.stop();
  await db?.drop();
});

describe('DatanodeProtocol counts are checked before any loop', () => {
  test('blockReport claiming 10^12 blocks is refused at once; memory stays bounded; another client keeps working', async () => {
    const dn = await registeredDatanode(nn.rpcPort, db.membershipSecret);
    const before = rssKiB(nn.pid);
    const report = (r: hadoop.hdfs.datanode.IStorageBlockReportProto) =>
      dn.client.call(
        'blockReport',
        D.BlockReportRequestProto,
        { registration: dn.registration, blockPoolId: dn.blockPoolId, reports: [r], context: { totalRpcs: 1, curRpc: 0, id: 1, leaseId: 0, sorted: false } },
        D.BlockReportResponseProto,
      );
    const storage = { storageUuid: 'DS-hostile', state: 0, storageType: 1 };
    const longs = await refusal(report({ storage, blocks: [Long.fromNumber(1e12, true), Long.UZERO] }));
    expect(longs).toEqual({ className: 'org.apache.hadoop.HadoopIllegalArgumentException', message: expect.stringMatching(/Invalid block report: 1000000000000 blocks, more than 1000000/) });
    const short = await refusal(report({ storage, blocks: [Long.fromNumber(500_000, true), Long.UZERO] }));
    expect(short.message).toMatch(/need 1500002 longs, the list has 2/);
    const buffers = await refusal(report({ storage, blocks: [], numberOfBlocks: Long.fromNumber(1e12), blocksBuffers: [Buffer.from([1, 2, 3, 4])] }));
    expect(buffers.message).toMatch(/more than 1000000/);
    expect((await stat('/still/here'))?.fileType).toBe(hadoop.hdfs.HdfsFileStatusProto.FileType.IS_DIR);
    const after = rssKiB(nn.pid);
    console.log(`namenode RSS before ${before} KiB, after the hostile reports ${after} KiB`);
    expect(after - before).toBeLessThan(64 * 1024);
    await dn.close();
  });
});

describe('ClientProtocol lists of datanodes are bounded', () => {
  test('addBlock naming 2,000 excluded or favoured datanodes is refused before placement loops over them', async () => {
    const clientName = 'DFSClient_bounds';
    await good.call(
      'create',
      hadoop.hdfs.CreateRequestProto,
      { src: '/still/open', masked: { perm: 0o644 }, clientName, createFlag: 1, createParent: false, replication: 1, blockSize: 1 << 20 },
      hadoop.hdfs.CreateResponseProto,
    );
    const node = (i: number) => ({ id: { ipAddr: '10.0.0.1', hostName: `h${i}`, datanodeUuid: `u${i}`, xferPort: i, infoPort: 0, ipcPort: 0 } });
    const many = Array.from({ length: 2000 }, (_, i) => node(i));
    const excluded = await refusal(good.call('addBlock', hadoop.hdfs.AddBlockRequestProto, { src: '/still/open', clientName, excludeNodes: many }, hadoop.hdfs.AddBlockResponseProto));
    expect(excluded).toEqual({ className: 'org.apache.hadoop.HadoopIllegalArgumentException', message: 'addBlock excludeNodes: 2000 entries, more than 1024 in one call' });
    const favoured = await refusal(
      good.call('addBlock', hadoop.hdfs.AddBlockRequestProto, { src: '/still/open', clientName, favoredNodes: many.map((_, i) => `10.0.0.1:${i}`) }, hadoop.hdfs.AddBlockResponseProto),
    );
    expect(favoured.message).toBe('addBlock favoredNodes: 2000 entries, more than 1024 in one call');
    expect((await stat('/still/here'))?.fileType).toBe(hadoop.hdfs.HdfsFileStatusProto.FileType.IS_DIR);
  });
});

describe('path and xattr limits answer as Hadoop', () => {
  test('a path over 8,000 characters or 1,000 levels: IOException "Pathname too long"', async () => {
    const long = await refusal(mkdirs('/' + 'a'.repeat(8000)));
    expect(long).toEqual({ className: 'java.io.IOException', message: 'Pathname too long.  Limit 8000 characters, 1000 levels.' });
    const deep = await refusal(mkdirs('/d'.repeat(1001)));
    expect(deep.message).toBe('Pathname too long.  Limit 8000 characters, 1000 levels.');
    expect(await mkdirs('/d'.repeat(1000))).toEqual({ result: true });
  });

  test('a component over 255 bytes: PathComponentTooLongException', async () => {
    const r = await refusal(mkdirs('/x/' + 'é'.repeat(128)));
    expect(r.className).toBe('org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException');
    expect(r.message).toMatch(/limit=255 length=256/);
  });

  test('an xattr name over 255 bytes or name and value over 16384 bytes: refused before the database', async () => {
    const set = (name: string, value: Buffer) =>
      good.call('setXAttr', hadoop.hdfs.SetXAttrRequestProto, { src: '/still/here', xAttr: { namespace: 0, name, value }, flag: 1 }, hadoop.hdfs.SetXAttrResponseProto);
    const name = await refusal(set('n'.repeat(256), Buffer.alloc(1)));
    expect(name).toEqual({ className: 'org.apache.hadoop.HadoopIllegalArgumentException', message: expect.stringMatching(/name is too long/) });
    const size = await refusal(set('n', Buffer.alloc(16384)));
    expect(size.message).toMatch(/The XAttr is too big/);
    await set('n'.repeat(255), Buffer.alloc(16384 - 260));
    expect((await stat('/still/here'))?.fileType).toBe(hadoop.hdfs.HdfsFileStatusProto.FileType.IS_DIR);
  });
});

test('the hint cache stays within its byte budget after deep mkdirs -p of long components', async () => {
  const budget = 256 * 1024;
  const f = await namesystemFixture('hintbytes', { hintCacheBytes: budget });
  try {
    const cache = f.ns.cache as HintCache;
    // 30 components of 255 bytes: as deep as a path of 8,000 characters allows.
    for (let tree = 0; tree < 10; tree++) {
      const path = Array.from({ length: 30 }, (_, i) => `${tree}-${i}-`.padEnd(255, 'x')).join('/');
      await f.ns.mkdirs(f.root, `/${path}`, 0o755, true);
    }
    expect(cache.stats.entries).toBeGreaterThan(0);
    expect(cache.bytes).toBeLessThanOrEqual(budget);
    // 5,000 such components never reach the cache: the path is refused first.
    await expect(f.ns.mkdirs(f.root, '/' + Array.from({ length: 5000 }, () => 'c'.repeat(255)).join('/'), 0o755, true)).rejects.toThrow(/Pathname too long/);
  } finally {
    await f.close();
  }
});
