import { createHash } from 'node:crypto';
import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL_METHODS } from '../../protocol/ipc/client-protocol-methods';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import type { RunningNamenode } from '../../namenode/namenode-process';
import { listOpenFiles } from '../../namenode/ops/open-files';
import { recoverExpiredLeases } from '../../namenode/leader/duties/lease-monitor';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const H = hadoop.hdfs;
const SAFE_MODE = 'org.apache.hadoop.hdfs.server.namenode.SafeModeException';
const UNSUPPORTED = 'java.lang.UnsupportedOperationException';

let f: NamenodeFixture;
let second: RunningNamenode;
const clients: IpcClient[] = [];

const connect = async (port: number, user: string): Promise<IpcClient> => {
  const c = await IpcClient.connect({ host: '127.0.0.1', port, user, protocolName: CLIENT_PROTOCOL });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  f = await namenodeFixture('rpcs_admin');
  second = await f.another();
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await f?.close();
});

const safeMode = (c: IpcClient, action: hadoop.hdfs.SafeModeActionProto) =>
  c.call('setSafeMode', H.SetSafeModeRequestProto, { action, checked: false }, H.SetSafeModeResponseProto).then((r) => r.result);
const mkdirs = (c: IpcClient, src: string) =>
  c.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
const stat = async (c: IpcClient, src: string) => (await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs;
const listing = async (c: IpcClient, src: string) =>
  ((await c.call('getListing', H.GetListingRequestProto, { src, startAfter: new Uint8Array(0), needLocation: false }, H.GetListingResponseProto)).dirList?.partialListing ?? []).map((s) =>
    Buffer.from(s.path).toString(),
  );

describe('the ClientProtocol methods nnfleet does not serve', () => {
  test('answer UnsupportedOperationException with the reason; a name outside the protocol still gets RpcNoSuchMethodException', async () => {
    const c = await connect(f.namenode.rpcPort, f.superuser);
    await expect(
      c.call('getErasureCodingPolicies', H.GetErasureCodingPoliciesRequestProto, {}, H.GetErasureCodingPoliciesResponseProto),
    ).rejects.toMatchObject({
      className: UNSUPPORTED,
      message: expect.stringMatching(/^getErasureCodingPolicies is not supported by nnfleet: erasure coding is not implemented/),
    });
    await expect(c.call('rollEdits', H.RollEditsRequestProto, {}, H.RollEditsResponseProto)).rejects.toMatchObject({
      className: UNSUPPORTED,
      message: expect.stringMatching(/no fsimage or edit log/),
    });
    await expect(c.call('addCachePool', H.AddCachePoolRequestProto, { info: { poolName: 'p' } }, H.AddCachePoolResponseProto)).rejects.toMatchObject({
      className: UNSUPPORTED,
    });
    await expect(c.callRaw('noSuchMethod', new Uint8Array(0))).rejects.toMatchObject({ className: 'org.apache.hadoop.ipc.RpcNoSuchMethodException' });
    expect(await stat(c, '/')).toBeTruthy();
  });

  test('every method of Hadoop 3.4\'s service is known: none answers RpcNoSuchMethodException', async () => {
    const c = await connect(f.namenode.rpcPort, 'nobody');
    expect(CLIENT_PROTOCOL_METHODS).toHaveLength(111);
    for (const method of CLIENT_PROTOCOL_METHODS) {
      // An empty body: a method with required fields fails to decode, one without runs; either way the method exists.
      const err = await c.callRaw(method, new Uint8Array(0)).then(
        () => undefined,
        (e: { className?: string }) => e,
      );
      expect({ method, className: err?.className }).not.toEqual({ method, className: 'org.apache.hadoop.ipc.RpcNoSuchMethodException' });
    }
    expect(await safeMode(c, H.SafeModeActionProto.SAFEMODE_GET)).toBe(false);
  });
});

describe('safe mode is fleet-wide', () => {
  test('entered on one namenode, the other refuses every mutation and the namespace stays as it was; leaving restores writes', async () => {
    const a = await connect(f.namenode.rpcPort, f.superuser);
    const b = await connect(second.rpcPort, f.superuser);
    const alice = await connect(second.rpcPort, 'alice');
    await mkdirs(b, '/sm/keep');
    await b.call('create', H.CreateRequestProto, { src: '/sm/file', masked: { perm: 0o644 }, clientName: 'DFSClient_sm', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
    await b.call('complete', H.CompleteRequestProto, { src: '/sm/file', clientName: 'DFSClient_sm' }, H.CompleteResponseProto);

    expect(await safeMode(alice, H.SafeModeActionProto.SAFEMODE_GET)).toBe(false);
    await expect(safeMode(alice, H.SafeModeActionProto.SAFEMODE_ENTER)).rejects.toMatchObject({
      className: 'org.apache.hadoop.security.AccessControlException',
      message: expect.stringContaining('Superuser privilege is required'),
    });
    expect(await safeMode(b, H.SafeModeActionProto.SAFEMODE_GET)).toBe(false);

    expect(await safeMode(a, H.SafeModeActionProto.SAFEMODE_ENTER)).toBe(true);
    expect(await safeMode(a, H.SafeModeActionProto.SAFEMODE_ENTER)).toBe(true);
    expect(await safeMode(b, H.SafeModeActionProto.SAFEMODE_GET)).toBe(true);
    const before = await listing(b, '/sm');

    const refused: [string, () => Promise<unknown>][] = [
      ['mkdirs', () => mkdirs(b, '/sm/new')],
      // Directly under /, where the root is the parent a write would leave unlocked (lock-plan.ts locks it exclusively).
      ['mkdirs under /', () => mkdirs(b, '/sm-top')],
      ['create under /', () => b.call('create', H.CreateRequestProto, { src: '/sm-top-file', masked: { perm: 0o644 }, clientName: 'DFSClient_sm', createFlag: 1, createParent: false, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto)],
      ['create', () => b.call('create', H.CreateRequestProto, { src: '/sm/f2', masked: { perm: 0o644 }, clientName: 'DFSClient_sm', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto)],
      ['delete', () => b.call('delete', H.DeleteRequestProto, { src: '/sm/keep', recursive: true }, H.DeleteResponseProto)],
      ['rename', () => b.call('rename', H.RenameRequestProto, { src: '/sm/file', dst: '/sm/moved' }, H.RenameResponseProto)],
      ['setPermission', () => b.call('setPermission', H.SetPermissionRequestProto, { src: '/sm/file', permission: { perm: 0o600 } }, H.SetPermissionResponseProto)],
      ['append', () => b.call('append', H.AppendRequestProto, { src: '/sm/file', clientName: 'DFSClient_sm' }, H.AppendResponseProto)],
      ['renewLease', () => b.call('renewLease', H.RenewLeaseRequestProto, { clientName: 'DFSClient_sm' }, H.RenewLeaseResponseProto)],
    ];
    for (const [op, call] of refused) {
      const err = await call().then(
        () => ({ op, className: 'succeeded' }),
        (e: { className: string; message: string }) => ({ op, className: e.className, safeModeTip: /Name node is in safe mode/.test(e.message) }),
      );
      expect(err).toEqual({ op, className: SAFE_MODE, safeModeTip: true });
    }
    // Reads go on, and nothing changed.
    expect(await listing(b, '/sm')).toEqual(before);
    expect((await stat(a, '/sm/file'))?.permission?.perm).toBe(0o644);
    expect(await stat(a, '/sm/new')).toBeNull();
    expect(await stat(a, '/sm-top')).toBeNull();
    expect(await stat(a, '/sm-top-file')).toBeNull();

    expect(await safeMode(b, H.SafeModeActionProto.SAFEMODE_LEAVE)).toBe(false);
    expect(await safeMode(a, H.SafeModeActionProto.SAFEMODE_GET)).toBe(false);
    expect((await mkdirs(a, '/sm/new')).result).toBe(true);
    expect((await mkdirs(a, '/sm-top')).result).toBe(true);
    expect(await safeMode(a, H.SafeModeActionProto.SAFEMODE_ENTER)).toBe(true);
    expect(await safeMode(b, H.SafeModeActionProto.SAFEMODE_FORCE_EXIT)).toBe(false);
    expect((await mkdirs(b, '/sm/after')).result).toBe(true);
  });
});

describe('answers HDFS gives with nothing configured', () => {
  test('quota usage, HA state, msync, encryption key, snapshots, tokens, storage reports, located status', async () => {
    const c = await connect(f.namenode.rpcPort, f.superuser);
    await mkdirs(c, '/q/a/b');
    await c.call('create', H.CreateRequestProto, { src: '/q/a/f', masked: { perm: 0o644 }, clientName: 'DFSClient_q', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
    const usage = (await c.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path: '/q' }, H.GetQuotaUsageResponseProto)).usage;
    expect(Long.fromValue(usage.fileAndDirectoryCount).toNumber()).toBe(4);
    expect(Long.fromValue(usage.quota).toSigned().toNumber()).toBe(-1);
    expect(Long.fromValue(usage.spaceQuota).toSigned().toNumber()).toBe(-1);
    await expect(c.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path: '/nope' }, H.GetQuotaUsageResponseProto)).rejects.toMatchObject({ className: 'java.io.FileNotFoundException' });

    expect((await c.call('getHAServiceState', H.HAServiceStateRequestProto, {}, H.HAServiceStateResponseProto)).state).toBe(hadoop.common.HAServiceStateProto.ACTIVE);
    await c.call('msync', H.MsyncRequestProto, {}, H.MsyncResponseProto);
    expect((await c.call('getDataEncryptionKey', H.GetDataEncryptionKeyRequestProto, {}, H.GetDataEncryptionKeyResponseProto)).dataEncryptionKey).toBeNull();
    expect((await c.call('getSnapshottableDirListing', H.GetSnapshottableDirListingRequestProto, {}, H.GetSnapshottableDirListingResponseProto)).snapshottableDirList).toBeNull();
    expect((await c.call('getDelegationToken', hadoop.common.GetDelegationTokenRequestProto, { renewer: 'yarn' }, hadoop.common.GetDelegationTokenResponseProto)).token).toBeNull();
    // No encryption zones: the superuser lists none (FsShell -expunge asks), others are refused as HDFS does.
    expect(await c.call('listEncryptionZones', H.ListEncryptionZonesRequestProto, { id: 0 }, H.ListEncryptionZonesResponseProto)).toMatchObject({ zones: [], hasMore: false });
    const carol = await connect(f.namenode.rpcPort, 'carol');
    await expect(carol.call('listEncryptionZones', H.ListEncryptionZonesRequestProto, { id: 0 }, H.ListEncryptionZonesResponseProto)).rejects.toMatchObject({
      className: 'org.apache.hadoop.security.AccessControlException',
    });
    await carol.close();
    expect((await c.call('getEnclosingRoot', H.GetEnclosingRootRequestProto, { filename: '/q/a/f' }, H.GetEnclosingRootResponseProto)).enclosingRootPath).toBe('/');
    const ec = await c.call('getFsECBlockGroupStats', H.GetFsECBlockGroupStatsRequestProto, {}, H.GetFsECBlockGroupStatsResponseProto);
    expect(Long.fromValue(ec.missingBlocks).toNumber()).toBe(0);
    await c.call('getFsReplicatedBlockStats', H.GetFsReplicatedBlockStatsRequestProto, {}, H.GetFsReplicatedBlockStatsResponseProto);

    const report = await c.call('getDatanodeStorageReport', H.GetDatanodeStorageReportRequestProto, { type: H.DatanodeReportTypeProto.ALL }, H.GetDatanodeStorageReportResponseProto);
    expect(report.datanodeStorageReports ?? []).toEqual([]);
    const bob = await connect(f.namenode.rpcPort, 'bob');
    await expect(
      bob.call('getDatanodeStorageReport', H.GetDatanodeStorageReportRequestProto, { type: H.DatanodeReportTypeProto.ALL }, H.GetDatanodeStorageReportResponseProto),
    ).rejects.toMatchObject({ className: 'org.apache.hadoop.security.AccessControlException' });

    const located = (await c.call('getLocatedFileInfo', H.GetLocatedFileInfoRequestProto, { src: '/q/a/f', needBlockToken: false }, H.GetLocatedFileInfoResponseProto)).fs;
    expect(located?.fileType).toBe(H.HdfsFileStatusProto.FileType.IS_FILE);
    expect(located?.locations?.underConstruction).toBe(true);
    expect((await c.call('getLocatedFileInfo', H.GetLocatedFileInfoRequestProto, { src: '/q/none' }, H.GetLocatedFileInfoResponseProto)).fs).toBeNull();
    expect((await c.call('getLocatedFileInfo', H.GetLocatedFileInfoRequestProto, { src: '/q/a' }, H.GetLocatedFileInfoResponseProto)).fs?.locations).toBeNull();
  });
});

describe('listOpenFiles and getBatchedListing', () => {
  const create = (c: IpcClient, src: string, clientName: string) =>
    c.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName, createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
  const openFiles = (c: IpcClient, id: number, path: string, types = [H.OpenFilesTypeProto.ALL_OPEN_FILES]) =>
    c.call('listOpenFiles', H.ListOpenFilesRequestProto, { id, types, path }, H.ListOpenFilesResponseProto);

  test('the superuser lists the files held open under a path, a batch at a time by inode id', async () => {
    const c = await connect(f.namenode.rpcPort, f.superuser);
    await create(c, '/of/a/f1', 'DFSClient_one');
    await create(c, '/of/a/f2', 'DFSClient_two');
    await create(c, '/of/ab/f3', 'DFSClient_one');
    await create(c, '/of/closed', 'DFSClient_one');
    await c.call('complete', H.CompleteRequestProto, { src: '/of/closed', clientName: 'DFSClient_one' }, H.CompleteResponseProto);

    const all = await openFiles(c, 0, '/of');
    expect(all.entries.map((e) => [e.path, e.clientName])).toEqual([
      ['/of/a/f1', 'DFSClient_one'],
      ['/of/a/f2', 'DFSClient_two'],
      ['/of/ab/f3', 'DFSClient_one'],
    ]);
    expect(all.hasMore).toBe(false);
    expect(all.types).toEqual([H.OpenFilesTypeProto.ALL_OPEN_FILES]);
    expect((await openFiles(c, 0, '/of/a')).entries.map((e) => e.path)).toEqual(['/of/a/f1', '/of/a/f2']);
    // Every entry's id is the cursor of the next batch.
    const firstId = Long.fromValue(all.entries[0]!.id).toNumber();
    expect((await openFiles(c, firstId, '/of/a')).entries.map((e) => e.path)).toEqual(['/of/a/f2']);
    expect((await openFiles(c, 0, '/of', [H.OpenFilesTypeProto.BLOCKING_DECOMMISSION])).entries ?? []).toEqual([]);
    // Batches of one: hasMore until the last file under the path.
    const su = { user: f.superuser, groups: [], isSuperuser: true };
    const paths: string[] = [];
    for (let prev = 0, more = true; more; ) {
      const b = await listOpenFiles(f.namenode.namesystem.context, su, prev, ['all'], '/of', 1);
      paths.push(...b.entries.map((e) => e.path));
      more = b.hasMore;
      prev = b.entries[0]?.id ?? prev;
      if (paths.length > 5) break;
    }
    expect(paths).toEqual(['/of/a/f1', '/of/a/f2', '/of/ab/f3']);
    await expect(openFiles(c, 0, 'relative')).rejects.toMatchObject({ className: 'org.apache.hadoop.fs.InvalidPathException' });
    const bob = await connect(f.namenode.rpcPort, 'bob');
    await expect(openFiles(bob, 0, '/')).rejects.toMatchObject({ className: 'org.apache.hadoop.security.AccessControlException' });
  });

  test('a batched listing keeps each path\'s error to its part and continues a directory that did not fit', async () => {
    const c = await connect(f.namenode.rpcPort, f.superuser);
    await mkdirs(c, '/bl/x/1');
    await mkdirs(c, '/bl/x/2');
    await mkdirs(c, '/bl/y/3');
    const batch = (client: IpcClient, startAfter: Uint8Array) =>
      client.call('getBatchedListing', H.GetBatchedListingRequestProto, { paths: ['/bl/x', '/bl/none', '/bl/y'], startAfter, needLocation: false }, H.GetBatchedListingResponseProto);
    const names = (r: hadoop.hdfs.GetBatchedListingResponseProto) =>
      r.listings.map((l) => [l.parentIdx, (l.partialListing ?? []).map((s) => Buffer.from(s.path).toString()), l.exception?.className ?? null]);
    const whole = await batch(c, new Uint8Array(0));
    expect(names(whole)).toEqual([
      [0, ['1', '2'], null],
      [1, [], 'java.io.FileNotFoundException'],
      [2, ['3'], null],
    ]);
    expect(whole.hasMore).toBe(false);

    // A namenode listing one entry at a time: the same answer over several calls.
    const small = await f.another({ listingLimit: 1 });
    const s = await connect(small.rpcPort, f.superuser);
    const seen: unknown[] = [];
    let cookie: Uint8Array = new Uint8Array(0);
    for (let calls = 0; calls < 10; calls++) {
      const r = await batch(s, cookie);
      seen.push(...names(r));
      if (!r.hasMore) break;
      cookie = r.startAfter;
    }
    expect(seen).toEqual([
      [0, ['1'], null],
      [0, ['2'], null],
      [1, [], 'java.io.FileNotFoundException'],
      [2, ['3'], null],
    ]);
    await expect(
      s.call('getBatchedListing', H.GetBatchedListingRequestProto, { paths: ['/bl/y'], startAfter: cookie, needLocation: false }, H.GetBatchedListingResponseProto),
    ).rejects.toMatchObject({ className: 'org.apache.hadoop.HadoopIllegalArgumentException' });
    // A forged cookie for the right list, pointing before or past it, is refused the same way.
    const paths = ['/bl/x', '/bl/none', '/bl/y'];
    const sum = createHash('md5').update(JSON.stringify(paths)).digest('hex');
    for (const index of [-1, 3, 1e9]) {
      const forged = Buffer.from(JSON.stringify({ sum, index, after: '' }));
      await expect(
        s.call('getBatchedListing', H.GetBatchedListingRequestProto, { paths, startAfter: forged, needLocation: false }, H.GetBatchedListingResponseProto),
      ).rejects.toMatchObject({ className: 'org.apache.hadoop.HadoopIllegalArgumentException' });
    }
  });
});

describe('rename2 TO_TRASH', () => {
  test('moving to the trash needs what a recursive delete needs: rwx on every non-empty directory under the source', async () => {
    const su = await connect(f.namenode.rpcPort, f.superuser);
    const alice = await connect(f.namenode.rpcPort, 'alice');
    await mkdirs(su, '/tt/alice/.Trash');
    await mkdirs(su, '/tt/alice/d/locked/x');
    await su.call('setOwner', H.SetOwnerRequestProto, { src: '/tt/alice', username: 'alice', groupname: 'staff' }, H.SetOwnerResponseProto);
    for (const p of ['/tt/alice/.Trash', '/tt/alice/d']) await su.call('setOwner', H.SetOwnerRequestProto, { src: p, username: 'alice' }, H.SetOwnerResponseProto);
    const move = (dst: string, moveToTrash: boolean) =>
      alice.call('rename2', H.Rename2RequestProto, { src: '/tt/alice/d', dst, overwriteDest: false, moveToTrash }, H.Rename2ResponseProto);
    await expect(move('/tt/alice/.Trash/d', true)).rejects.toMatchObject({ className: 'org.apache.hadoop.security.AccessControlException' });
    expect(await stat(su, '/tt/alice/d/locked/x')).toBeTruthy();
    expect(await stat(su, '/tt/alice/.Trash/d')).toBeNull();
    await move('/tt/alice/e', false);
    expect(await stat(su, '/tt/alice/e/locked/x')).toBeTruthy();
  });
});

describe('the leader in safe mode', () => {
  test('does not expire leases while safe mode is on (writers cannot renew then), and does once it is off', async () => {
    const c = await connect(second.rpcPort, f.superuser);
    await c.call('create', H.CreateRequestProto, { src: '/lm/open', masked: { perm: 0o644 }, clientName: 'DFSClient_gone', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
    const ctx = f.namenode.namesystem.context;
    const farFuture = Date.now() + 10 * ctx.config.leaseHardLimitMs;
    const stillOpen = async () => (await stat(c, '/lm/open')) !== null && (await listOpenFiles(ctx, { user: f.superuser, groups: [], isSuperuser: true }, 0, ['all'], '/lm')).entries.length === 1;
    expect(await safeMode(c, H.SafeModeActionProto.SAFEMODE_ENTER)).toBe(true);
    expect(await recoverExpiredLeases(ctx, farFuture)).toBe(0);
    expect(await stillOpen()).toBe(true);
    expect(await safeMode(c, H.SafeModeActionProto.SAFEMODE_LEAVE)).toBe(false);
    expect(await recoverExpiredLeases(ctx, farFuture)).toBeGreaterThanOrEqual(1);
    expect(await stillOpen()).toBe(false);
  });
});
