import { hadoop } from '../../protocol/generated/hadoop';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { int64ToNumber } from '../../protocol/long-values';
import type { RunningNamenode } from '../../namenode/namenode-process';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { until } from '../harness/eventually';
import { SameCallClient } from '../harness/same-call';

/**
 * Hadoop's RetryCache for the @AtMostOnce ClientProtocol methods nnfleet
 * serves beyond create/delete/rename (test/fleet/at-most-once.test.ts):
 * rename2, append, concat, createSymlink, setXAttr, removeXAttr,
 * updatePipeline, and truncate (@Idempotent in Hadoop, recorded by nnfleet
 * all the same). Each call is sent to namenode A, then retried with the
 * same (clientId, callId) on namenode B, which must answer what A answered
 * without running it again; the same request under a new call id runs
 * again and gets what Hadoop answers a second execution.
 */
const H = hadoop.hdfs;
const A = 0;
const B = 1;
const BLOCK = 1024;
const USER_NS = H.XAttrProto.XAttrNamespaceProto.USER;
const XATTR_CREATE = H.XAttrSetFlagProto.XATTR_CREATE;
let f: DataFleet;
let nnB: RunningNamenode;
let c: SameCallClient;
let writer: NamenodeClient;
let data: DtpFileDataClient;

beforeAll(async () => {
  f = await dataFleet('rcops', 1);
  nnB = await f.another();
  c = await SameCallClient.connect([f.namenode.rpcPort, nnB.rpcPort], f.superuser);
  writer = await NamenodeClient.connect(f.address, f.superuser, 'DFSClient_rcops_writer', new RpcCounter());
  data = new DtpFileDataClient({ blockSize: BLOCK, replication: 1 });
});
afterAll(async () => {
  c?.close();
  await writer?.close();
  await f?.close();
});

/** The Java class of the RemoteException a call ends with, or 'succeeded'. */
const outcome = (p: Promise<unknown>): Promise<string> => p.then(() => 'succeeded', (e: { className?: string }) => e.className ?? String(e));

/** Runs `send(callId, retryCount)` on A, then as a retry on B; checks B answered from its cache. */
async function firstThenRetry<T>(send: (nn: number, callId: number, retryCount: number) => Promise<T>): Promise<{ first: T; retried: T; callId: number }> {
  const callId = c.newCallId();
  const first = await send(A, callId, -1);
  const hits = nnB.namesystem.runner.stats.retryCacheHits;
  const retried = await send(B, callId, 1);
  expect(nnB.namesystem.runner.stats.retryCacheHits).toBe(hits + 1);
  return { first, retried, callId };
}

const fileInfo = async (src: string) => (await c.call(A, 'getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto, c.newCallId())).fs ?? undefined;

test('rename2: a retry succeeds again; the same rename as a new call finds no source (FileNotFoundException)', async () => {
  await writer.mkdirs('/rc/r2/a');
  const req = { src: '/rc/r2/a', dst: '/rc/r2/b', overwriteDest: false };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'rename2', H.Rename2RequestProto, req, H.Rename2ResponseProto, callId, retryCount);
  await firstThenRetry(send);
  expect(await fileInfo('/rc/r2/b')).toBeDefined();
  expect(await fileInfo('/rc/r2/a')).toBeUndefined();
  expect(await outcome(send(B, c.newCallId(), -1))).toBe('java.io.FileNotFoundException');
});

test('append: a retry gets the same last block and status, not AlreadyBeingCreatedException; a new call does get it', async () => {
  await data.writeFile(writer, '/rc/append', 700);
  const req = { src: '/rc/append', clientName: 'DFSClient_rc_append', flag: H.CreateFlagProto.APPEND };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'append', H.AppendRequestProto, req, H.AppendResponseProto, callId, retryCount);
  const { first, retried } = await firstThenRetry(send);
  expect(first.block).toBeTruthy();
  expect(int64ToNumber(first.block?.b.numBytes ?? -1)).toBe(700);
  expect(String(retried.block?.b.blockId)).toBe(String(first.block?.b.blockId));
  expect(String(retried.block?.b.generationStamp)).toBe(String(first.block?.b.generationStamp));
  expect(int64ToNumber(retried.stat?.length ?? -1)).toBe(700);
  expect(String(retried.stat?.fileId)).toBe(String(first.stat?.fileId));
  expect(await outcome(send(B, c.newCallId(), -1))).toBe('org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException');
});

test('truncate inside a block: a retry answers false again even after the recovery closed the file; a new call answers true', async () => {
  await data.writeFile(writer, '/rc/truncate', 1000);
  const req = { src: '/rc/truncate', newLength: 600, clientName: 'DFSClient_rc_truncate' };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'truncate', H.TruncateRequestProto, req, H.TruncateResponseProto, callId, retryCount);
  const { first, retried, callId } = await firstThenRetry(send);
  // false: the client must wait for the block's recovery (to 600 bytes on the datanode).
  expect(first.result).toBe(false);
  expect(retried.result).toBe(false);
  await until('the truncated file to close', async () => (await c.call(A, 'isFileClosed', H.IsFileClosedRequestProto, { src: '/rc/truncate' }, H.IsFileClosedResponseProto, c.newCallId())).result);
  expect(int64ToNumber((await fileInfo('/rc/truncate'))?.length ?? -1)).toBe(600);
  expect((await send(B, callId, 2)).result).toBe(false);
  // Run again, it is a truncate to the file's own length: nothing to do, true.
  expect((await send(B, c.newCallId(), -1)).result).toBe(true);
  const read = await writer.getBlockLocations('/rc/truncate');
  expect(int64ToNumber(read?.fileLength ?? -1)).toBe(600);
});

test('concat: a retry succeeds again; as a new call the sources are gone (FileNotFoundException)', async () => {
  for (const name of ['t', 's1', 's2']) await data.writeFile(writer, `/rc/concat/${name}`, BLOCK);
  const req = { trg: '/rc/concat/t', srcs: ['/rc/concat/s1', '/rc/concat/s2'] };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'concat', H.ConcatRequestProto, req, H.ConcatResponseProto, callId, retryCount);
  await firstThenRetry(send);
  expect(int64ToNumber((await fileInfo('/rc/concat/t'))?.length ?? -1)).toBe(3 * BLOCK);
  const blocks = await writer.getBlockLocations('/rc/concat/t');
  expect(blocks?.blocks?.length).toBe(3);
  expect(await outcome(send(B, c.newCallId(), -1))).toBe('java.io.FileNotFoundException');
});

test('createSymlink: a retry succeeds again; a new call finds the link there (IOException, as FSDirSymlinkOp)', async () => {
  const req = { target: '/rc/somewhere', link: '/rc/links/l', dirPerm: { perm: 0o755 }, createParent: true };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'createSymlink', H.CreateSymlinkRequestProto, req, H.CreateSymlinkResponseProto, callId, retryCount);
  await firstThenRetry(send);
  const link = await c.call(A, 'getFileLinkInfo', H.GetFileLinkInfoRequestProto, { src: '/rc/links/l' }, H.GetFileLinkInfoResponseProto, c.newCallId());
  expect(Buffer.from(link.fs?.symlink ?? []).toString()).toBe('/rc/somewhere');
  // Hadoop 3's FSDirSymlinkOp.createSymlinkInt: a plain IOException, not FileAlreadyExistsException.
  const e = await send(B, c.newCallId(), -1).then(() => undefined, (err: { className: string; message: string }) => err);
  expect(e).toMatchObject({ className: 'java.io.IOException' });
  expect(e?.message).toMatch(/failed to create link \/rc\/links\/l either because the filename is invalid or the file exists/);
});

test('setXAttr with CREATE: a retry succeeds again; a new call finds it set (IOException, REPLACE needed)', async () => {
  await writer.mkdirs('/rc/x');
  const req = { src: '/rc/x', xAttr: { namespace: USER_NS, name: 'k', value: Buffer.from('v1') }, flag: XATTR_CREATE };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'setXAttr', H.SetXAttrRequestProto, req, H.SetXAttrResponseProto, callId, retryCount);
  await firstThenRetry(send);
  const e = await send(B, c.newCallId(), -1).then(() => undefined, (err: { className: string; message: string }) => err);
  expect(e).toMatchObject({ className: 'java.io.IOException' });
  expect(e?.message).toMatch(/already exists\. The REPLACE flag must be specified/);
});

test('removeXAttr: a retry succeeds again; a new call finds nothing to remove (IOException)', async () => {
  await writer.mkdirs('/rc/y');
  const x = { namespace: USER_NS, name: 'k', value: Buffer.from('v') };
  await c.call(A, 'setXAttr', H.SetXAttrRequestProto, { src: '/rc/y', xAttr: x, flag: XATTR_CREATE }, H.SetXAttrResponseProto, c.newCallId());
  const req = { src: '/rc/y', xAttr: { namespace: USER_NS, name: 'k' } };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'removeXAttr', H.RemoveXAttrRequestProto, req, H.RemoveXAttrResponseProto, callId, retryCount);
  await firstThenRetry(send);
  const listed = await c.call(A, 'listXAttrs', H.ListXAttrsRequestProto, { src: '/rc/y' }, H.ListXAttrsResponseProto, c.newCallId());
  expect(listed.xAttrs ?? []).toEqual([]);
  const e = await send(B, c.newCallId(), -1).then(() => undefined, (err: { className: string; message: string }) => err);
  expect(e).toMatchObject({ className: 'java.io.IOException', message: 'No matching attributes found for remove operation' });
});

test('updatePipeline: a retry succeeds again instead of "an older state"; a new call is refused (IOException)', async () => {
  const clientName = 'DFSClient_rc_pipeline';
  const create = { src: '/rc/pipeline', masked: { perm: 0o644 }, clientName, createFlag: H.CreateFlagProto.CREATE, createParent: true, replication: 1, blockSize: BLOCK };
  await c.call(A, 'create', H.CreateRequestProto, create, H.CreateResponseProto, c.newCallId());
  const added = await c.call(A, 'addBlock', H.AddBlockRequestProto, { src: '/rc/pipeline', clientName }, H.AddBlockResponseProto, c.newCallId());
  const oldBlock = added.block.b;
  const bumped = await c.call(A, 'updateBlockForPipeline', H.UpdateBlockForPipelineRequestProto, { block: oldBlock, clientName }, H.UpdateBlockForPipelineResponseProto, c.newCallId());
  const newBlock = { ...oldBlock, generationStamp: bumped.block.b.generationStamp, numBytes: 0 };
  expect(int64ToNumber(newBlock.generationStamp)).toBeGreaterThan(int64ToNumber(oldBlock.generationStamp));
  const req = { clientName, oldBlock, newBlock, newNodes: (added.block.locs ?? []).map((l) => l.id), storageIDs: added.block.storageIDs ?? [] };
  const send = (nn: number, callId: number, retryCount: number) => c.call(nn, 'updatePipeline', H.UpdatePipelineRequestProto, req, H.UpdatePipelineResponseProto, callId, retryCount);
  await firstThenRetry(send);
  const located = await c.call(A, 'getBlockLocations', H.GetBlockLocationsRequestProto, { src: '/rc/pipeline', offset: 0, length: BLOCK }, H.GetBlockLocationsResponseProto, c.newCallId());
  const last = located.locations?.lastBlock ?? located.locations?.blocks?.[0];
  expect(String(last?.b.generationStamp)).toBe(String(newBlock.generationStamp));
  // Run again: the stored stamp is already the new one, which Hadoop refuses as an update "to an older state".
  expect(await outcome(send(B, c.newCallId(), -1))).toBe('java.io.IOException');
});
