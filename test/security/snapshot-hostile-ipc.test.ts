import { userInfo } from 'node:os';
import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import type { RemoteError } from '../../protocol/ipc/ipc-errors';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';
import { startNamenodeProcess, type NamenodeProcess } from '../harness/namenode-process';

const H = hadoop.hdfs;
const superuser = userInfo().username;
let db: TestDatabase;
let nn: NamenodeProcess;
let good: IpcClient;

/**
 * Hostile calls to the snapshot methods, inotify and refreshNodes, each on
 * its own connection to a namenode process: garbage, truncated and
 * oversized protobuf, names past every limit, cursors and txids out of
 * range, an ordinary user asking for superuser calls. Each is answered with
 * a Hadoop exception or has its one connection closed; a well-behaved
 * client on another connection keeps being served and sees the namespace
 * (listing, snapshottable directories, snapshots) exactly as before.
 */
const connect = (user = superuser) => IpcClient.connect({ host: '127.0.0.1', port: nn.rpcPort, user, protocolName: CLIENT_PROTOCOL });

/** What one hostile call got: the remote exception, or its connection closed. */
async function outcomeOf(call: (c: IpcClient) => Promise<unknown>, user = superuser): Promise<{ className: string; message: string } | 'answered' | 'closed'> {
  const c = await connect(user);
  try {
    await call(c);
    return 'answered';
  } catch (e) {
    const err = e as RemoteError;
    if (typeof err.className === 'string') return { className: err.className, message: err.message };
    return 'closed';
  } finally {
    await c.close();
  }
}

const listing = async (src: string) =>
  (await good.call('getListing', H.GetListingRequestProto, { src, startAfter: Buffer.alloc(0), needLocation: false }, H.GetListingResponseProto)).dirList?.partialListing?.map((s) =>
    Buffer.from(s.path).toString(),
  );
const namespace = async () => ({
  root: await listing('/'),
  snapRoot: await listing('/snap'),
  snapshots: await listing('/snap/.snapshot'),
  dirs: (await good.call('getSnapshottableDirListing', H.GetSnapshottableDirListingRequestProto, {}, H.GetSnapshottableDirListingResponseProto)).snapshottableDirList?.snapshottableDirListing?.map(
    (d) => [Buffer.from(d.parentFullpath).toString(), Buffer.from(d.dirStatus.path).toString(), d.snapshotNumber],
  ),
});

beforeAll(async () => {
  db = await createTestDatabase('snaphostile');
  nn = await startNamenodeProcess(db.config, ['--superuser', superuser]);
  good = await connect();
  await good.call('mkdirs', H.MkdirsRequestProto, { src: '/snap/d', masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
  await good.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot: '/snap' }, H.AllowSnapshotResponseProto);
  await good.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot: '/snap', snapshotName: 's1' }, H.CreateSnapshotResponseProto);
}, 120_000);
afterAll(async () => {
  await good?.close();
  await nn?.stop();
  await db?.drop();
});

const DECODE = 'org.apache.hadoop.ipc.RpcServerException';

test('garbage, truncated and oversized protobuf to createSnapshot, renameSnapshot, getSnapshotDiffReportListing, getEditsFromTxid', async () => {
  const before = await namespace();
  const garbage = Buffer.from('ff'.repeat(64), 'hex');
  // Field 1 (a string) claiming 2^31 bytes with none following.
  const truncated = Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x08]);
  const results: Record<string, unknown> = {};
  for (const method of ['createSnapshot', 'renameSnapshot', 'deleteSnapshot', 'getSnapshotDiffReportListing', 'getSnapshotDiffReport', 'getEditsFromTxid', 'allowSnapshot']) {
    for (const [what, body] of [
      ['garbage', garbage],
      ['truncated', truncated],
      ['empty', Buffer.alloc(0)],
    ] as const) {
      results[`${method} ${what}`] = await outcomeOf((c) => c.callRaw(method, body));
    }
  }
  process.stdout.write(`hostile protobuf outcomes:\n${JSON.stringify(results, null, 1)}\n`);
  for (const [call, outcome] of Object.entries(results)) {
    // Every one is a decode refusal naming the method, or its connection closed; none ran.
    if (outcome === 'closed') continue;
    expect([call, outcome]).toEqual([call, { className: DECODE, message: expect.stringContaining('unable to read call parameters') }]);
  }
  expect(await namespace()).toEqual(before);
});

test('names and paths past every limit, and snapshots of what cannot have them', async () => {
  const before = await namespace();
  const create = (snapshotRoot: string, snapshotName: string) => (c: IpcClient) =>
    c.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot, snapshotName }, H.CreateSnapshotResponseProto);
  const rename = (snapshotOldName: string, snapshotNewName: string) => (c: IpcClient) =>
    c.call('renameSnapshot', H.RenameSnapshotRequestProto, { snapshotRoot: '/snap', snapshotOldName, snapshotNewName }, H.RenameSnapshotResponseProto);
  const huge = 'x'.repeat(4 << 20);
  expect(await outcomeOf(create('/snap', huge))).toEqual({
    className: 'org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException',
    message: expect.stringContaining('limit=255 length=4194304'),
  });
  expect(await outcomeOf(create('/' + huge, 's2'))).toEqual({ className: 'java.io.IOException', message: 'Pathname too long.  Limit 8000 characters, 1000 levels.' });
  expect(await outcomeOf(create('/snap', 'a/b'))).toEqual({ className: 'org.apache.hadoop.fs.InvalidPathException', message: expect.stringContaining('Invalid snapshot name: a/b') });
  expect(await outcomeOf(create('/snap', '.snapshot'))).toEqual({ className: 'org.apache.hadoop.HadoopIllegalArgumentException', message: '".snapshot" is a reserved name.' });
  expect(await outcomeOf(create('/snap/.snapshot/s1', 's2'))).toMatchObject({ className: 'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException' });
  expect(await outcomeOf(create('relative', 's2'))).toMatchObject({ className: expect.stringMatching(/InvalidPathException|IllegalArgumentException/) });
  expect(await outcomeOf(create('/snap\0', 's2'))).toMatchObject({ className: expect.stringMatching(/InvalidPathException|IllegalArgumentException|FileNotFoundException/) });
  expect(await outcomeOf(rename('s1', huge))).toMatchObject({ className: 'org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException' });
  expect(await outcomeOf(rename(huge, 's2'))).toEqual({ className: 'org.apache.hadoop.hdfs.protocol.SnapshotException', message: expect.stringContaining('does not exist for directory /snap') });
  expect(await outcomeOf(rename('s1', ''))).toEqual({ className: 'java.io.IOException', message: 'The new snapshot name is null or empty.' });
  // An ordinary user may not take, rename or delete snapshots of a directory it does not own.
  expect(await outcomeOf(create('/snap', 'mine'), 'mallory')).toMatchObject({ className: 'org.apache.hadoop.security.AccessControlException' });
  expect(await outcomeOf(rename('s1', 'theirs'), 'mallory')).toMatchObject({ className: 'org.apache.hadoop.security.AccessControlException' });
  expect(await namespace()).toEqual(before);
});

test('getSnapshotDiffReportListing with a huge start path and negative indexes; getSnapshotDiffReport of unknown snapshots', async () => {
  const before = await namespace();
  const diffListing = (cursor: { startPath: Buffer; index: number }, fromSnapshot = 's1') => (c: IpcClient) =>
    c.call('getSnapshotDiffReportListing', H.GetSnapshotDiffReportListingRequestProto, { snapshotRoot: '/snap', fromSnapshot, toSnapshot: '', cursor }, H.GetSnapshotDiffReportListingResponseProto);
  const outcomes = {
    hugeStart: await outcomeOf(diffListing({ startPath: Buffer.alloc(4 << 20, 0x61), index: 0 })),
    negative: await outcomeOf(diffListing({ startPath: Buffer.alloc(0), index: -2 })),
    minInt: await outcomeOf(diffListing({ startPath: Buffer.from('d'), index: -0x80000000 })),
    unknown: await outcomeOf(diffListing({ startPath: Buffer.alloc(0), index: -1 }, 'nope')),
    report: await outcomeOf((c) =>
      c.call('getSnapshotDiffReport', H.GetSnapshotDiffReportRequestProto, { snapshotRoot: '/snap', fromSnapshot: 'x'.repeat(1 << 20), toSnapshot: 's1' }, H.GetSnapshotDiffReportResponseProto),
    ),
  };
  process.stdout.write(`diff listing outcomes: ${JSON.stringify(outcomes).slice(0, 1000)}\n`);
  // The listing is answered whole in one page: a cursor is never an index into anything, so none can reach out of bounds.
  for (const k of ['hugeStart', 'negative', 'minInt'] as const) expect([k, outcomes[k]]).toEqual([k, 'answered']);
  expect(outcomes.unknown).toEqual({ className: 'org.apache.hadoop.hdfs.protocol.SnapshotException', message: expect.stringContaining('nope') });
  expect(outcomes.report).toMatchObject({ className: 'org.apache.hadoop.hdfs.protocol.SnapshotException' });
  expect(await namespace()).toEqual(before);
});

test('getEditsFromTxid with negative and huge txids; refreshNodes and getEditsFromTxid from an ordinary user', async () => {
  const before = await namespace();
  const edits = (txid: Long) => (c: IpcClient) => c.call('getEditsFromTxid', H.GetEditsFromTxidRequestProto, { txid }, H.GetEditsFromTxidResponseProto);
  const head = Long.fromValue((await good.call('getCurrentEditLogTxid', H.GetCurrentEditLogTxidRequestProto, {}, H.GetCurrentEditLogTxidResponseProto)).txid).toNumber();
  const c = await connect();
  try {
    // A txid before the first answers from the oldest kept batch, as HDFS's reader starts at the first edit it holds.
    for (const txid of [Long.fromNumber(-1), Long.fromNumber(-(2 ** 53)), Long.MIN_VALUE]) {
      const r = await edits(txid)(c);
      expect(Long.fromValue(r.eventsList.firstTxid).toNumber()).toBeGreaterThan(0);
      expect(Long.fromValue(r.eventsList.syncTxid).toNumber()).toBeGreaterThanOrEqual(head);
    }
    // Past the head there is nothing yet, up to the largest long.
    for (const txid of [Long.fromNumber(head + 1_000_000), Long.fromNumber(2 ** 53), Long.MAX_VALUE]) {
      const later = await edits(txid)(c);
      expect([txid.toString(), Long.fromValue(later.eventsList.firstTxid).toNumber(), later.eventsList.batch?.length ?? 0]).toEqual([txid.toString(), -1, 0]);
    }
  } finally {
    await c.close();
  }
  const outcomes = {
    mallory: await outcomeOf(edits(Long.fromNumber(1)), 'mallory'),
    refreshNodes: await outcomeOf((x) => x.call('refreshNodes', H.RefreshNodesRequestProto, {}, H.RefreshNodesResponseProto), 'mallory'),
  };
  process.stdout.write(`inotify / refreshNodes outcomes: ${JSON.stringify(outcomes)}\n`);
  // FSPermissionChecker.checkSuperuserPrivilege's words.
  const denied = { className: 'org.apache.hadoop.security.AccessControlException', message: 'Access denied for user mallory. Superuser privilege is required' };
  expect(outcomes).toEqual({ mallory: denied, refreshNodes: denied });
  expect(await namespace()).toEqual(before);
});
