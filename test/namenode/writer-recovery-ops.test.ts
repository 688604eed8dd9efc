import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import type { MessageDecoder, MessageEncoder } from '../../protocol/ipc/rpc-handler';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { int64ToNumber } from '../../protocol/long-values';
import { payload } from '../harness/payload';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { eventually } from '../harness/eventually';
import { SyncedBlockWrite } from '../harness/synced-block-write';

/**
 * The writer-side and recovery ClientProtocol calls, over Hadoop IPC
 * against a namenode with three real datanodes, checked against Hadoop
 * 3's FSNamesystem / FSDirWriteFileOp / FSDirAttrOp: fsync (and the length
 * other clients then see), recoverLease, updatePipeline,
 * getAdditionalDatanode, getFileLinkInfo, getPreferredBlockSize; with
 * their refusals (another lease holder, an unknown block, a stale
 * generation stamp, a missing file).
 */
const H = hadoop.hdfs;
const BLOCK = 1 << 20;
const FNF = 'java.io.FileNotFoundException';
const LEASE_EXPIRED = 'org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException';
const IOE = 'java.io.IOException';
let f: DataFleet;
let root: IpcClient;
let alice: IpcClient;

beforeAll(async () => {
  f = await dataFleet('wrecov', 3);
  const connect = (user: string) => IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user, protocolName: CLIENT_PROTOCOL });
  root = await connect(f.superuser);
  alice = await connect('alice');
  await call('mkdirs', H.MkdirsRequestProto, { src: '/w', masked: { perm: 0o777 }, createParent: true }, H.MkdirsResponseProto);
});
afterAll(async () => {
  root?.close();
  alice?.close();
  await f?.close();
});

const call = <Req, Res>(method: string, reqType: MessageEncoder<Req>, req: Req, resType: MessageDecoder<Res>, as: IpcClient = root): Promise<Res> => as.call(method, reqType, req, resType);
/** The Java class of the RemoteException a call ends with, or 'succeeded'. */
const outcome = (p: Promise<unknown>): Promise<string> => p.then(() => 'succeeded', (e: { className?: string }) => e.className ?? String(e));

const create = (src: string, clientName: string, replication = 1) =>
  call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName, createFlag: H.CreateFlagProto.CREATE, createParent: true, replication, blockSize: BLOCK }, H.CreateResponseProto);
const addBlock = async (src: string, clientName: string) => (await call('addBlock', H.AddBlockRequestProto, { src, clientName }, H.AddBlockResponseProto)).block;
const fileInfo = async (src: string) => (await call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs ?? undefined;
const locations = async (src: string) => (await call('getBlockLocations', H.GetBlockLocationsRequestProto, { src, offset: 0, length: BLOCK }, H.GetBlockLocationsResponseProto)).locations ?? undefined;
const recoverLease = (src: string, clientName: string, as: IpcClient = root) => call('recoverLease', H.RecoverLeaseRequestProto, { src, clientName }, H.RecoverLeaseResponseProto, as);
const fsync = (src: string, client: string, lastBlockLength: number) => call('fsync', H.FsyncRequestProto, { src, client, lastBlockLength }, H.FsyncResponseProto);
const complete = (src: string, clientName: string, last?: hadoop.hdfs.IExtendedBlockProto) => call('complete', H.CompleteRequestProto, { src, clientName, ...(last ? { last } : {}) }, H.CompleteResponseProto);

/** A file open by `writer` with `bytes` hflushed into its first block on one datanode; the write stays open. */
async function hflushedFile(src: string, writer: string, bytes: number): Promise<{ block: hadoop.hdfs.LocatedBlockProto.$Properties; write: SyncedBlockWrite; data: Buffer }> {
  await create(src, writer);
  const block = await addBlock(src, writer);
  const write = await SyncedBlockWrite.open(block, writer);
  expect(write.response.status).toBe(H.Status.SUCCESS);
  const data = payload(bytes, 7);
  const ack = await write.packet(0, data, { sync: true });
  expect(ack.reply).toEqual([H.Status.SUCCESS]);
  return { block, write, data };
}

describe('fsync', () => {
  test('records the last block length: other clients then see it as the file length', async () => {
    const { block, write } = await hflushedFile('/w/fsync', 'DFSClient_fsync', 1000);
    try {
      // Before fsync the namenode knows the block, not what the pipeline holds.
      expect(int64ToNumber((await fileInfo('/w/fsync'))?.length ?? -1)).toBe(0);
      await fsync('/w/fsync', 'DFSClient_fsync', 1000);
      const seen = await call('getFileInfo', H.GetFileInfoRequestProto, { src: '/w/fsync' }, H.GetFileInfoResponseProto, alice);
      expect(int64ToNumber(seen.fs?.length ?? -1)).toBe(1000);
      const located = await locations('/w/fsync');
      expect(located?.underConstruction).toBe(true);
      expect(String(located?.lastBlock?.b.blockId)).toBe(String(block.b.blockId));
      expect(int64ToNumber(located?.lastBlock?.b.numBytes ?? -1)).toBe(1000);
      // No length (-1 on the wire, a client without one): nothing changes.
      await fsync('/w/fsync', 'DFSClient_fsync', -1);
      expect(int64ToNumber((await fileInfo('/w/fsync'))?.length ?? -1)).toBe(1000);
    } finally {
      write.close();
    }
  });

  test('updatePipeline may not shrink the block below what fsync recorded (IOException, "an older state")', async () => {
    const { block, write } = await hflushedFile('/w/fsync-shrink', 'DFSClient_shrink', 1000);
    try {
      await fsync('/w/fsync-shrink', 'DFSClient_shrink', 1000);
      const bumped = (await call('updateBlockForPipeline', H.UpdateBlockForPipelineRequestProto, { block: block.b, clientName: 'DFSClient_shrink' }, H.UpdateBlockForPipelineResponseProto)).block.b;
      const req = (numBytes: number) => ({
        clientName: 'DFSClient_shrink',
        oldBlock: block.b,
        newBlock: { ...block.b, generationStamp: bumped.generationStamp, numBytes },
        newNodes: (block.locs ?? []).map((l) => l.id),
        storageIDs: block.storageIDs ?? [],
      });
      const refused = await call('updatePipeline', H.UpdatePipelineRequestProto, req(500), H.UpdatePipelineResponseProto).then(
        () => undefined,
        (e: { className: string; message: string }) => e,
      );
      expect(refused).toMatchObject({ className: IOE });
      expect(refused?.message).toMatch(/to an older state/);
      await call('updatePipeline', H.UpdatePipelineRequestProto, req(1000), H.UpdatePipelineResponseProto);
      expect(String((await locations('/w/fsync-shrink'))?.lastBlock?.b.generationStamp)).toBe(String(bumped.generationStamp));
    } finally {
      write.close();
    }
  });

  test('refused for another lease holder (LeaseExpiredException), a closed file (LeaseExpiredException) and a missing file (FileNotFoundException)', async () => {
    await create('/w/fsync-refused', 'DFSClient_holder');
    expect(await outcome(fsync('/w/fsync-refused', 'DFSClient_intruder', 10))).toBe(LEASE_EXPIRED);
    expect(await complete('/w/fsync-refused', 'DFSClient_holder')).toMatchObject({ result: true });
    expect(await outcome(fsync('/w/fsync-refused', 'DFSClient_holder', 10))).toBe(LEASE_EXPIRED);
    expect(await outcome(fsync('/w/no-such-file', 'DFSClient_holder', 10))).toBe(FNF);
  });
});

describe('recoverLease', () => {
  test("a file another client holds open: false while its last block recovers, then true; the writer's lease is gone", async () => {
    const { block, write, data } = await hflushedFile('/w/abandoned', 'DFSClient_crashed', 1500);
    write.close(); // the writer dies without closing the file
    expect((await recoverLease('/w/abandoned', 'DFSClient_rescuer')).result).toBe(false);
    await eventually('the recovery to close the file', async () => ((await recoverLease('/w/abandoned', 'DFSClient_rescuer')).result ? true : undefined));
    const closed = await call('isFileClosed', H.IsFileClosedRequestProto, { src: '/w/abandoned' }, H.IsFileClosedResponseProto);
    expect(closed.result).toBe(true);
    expect(int64ToNumber((await fileInfo('/w/abandoned'))?.length ?? -1)).toBe(data.length);
    const located = await locations('/w/abandoned');
    const recovered = located?.blocks?.[0]?.b;
    expect(String(recovered?.blockId)).toBe(String(block.b.blockId));
    // Block recovery moves the replicas to a new generation stamp.
    expect(int64ToNumber(recovered?.generationStamp ?? 0)).toBeGreaterThan(int64ToNumber(block.b.generationStamp));
    expect(int64ToNumber(recovered?.numBytes ?? -1)).toBe(data.length);
    // The old writer comes back: its file is closed, its block stale.
    expect(await outcome(complete('/w/abandoned', 'DFSClient_crashed', { ...block.b, numBytes: data.length }))).toBe(LEASE_EXPIRED);
    expect(await outcome(addBlock('/w/abandoned', 'DFSClient_crashed'))).toBe(LEASE_EXPIRED);
  });

  test('an open file with no data is closed at once (true)', async () => {
    await create('/w/empty-open', 'DFSClient_gone');
    expect((await recoverLease('/w/empty-open', 'DFSClient_rescuer')).result).toBe(true);
    expect((await call('isFileClosed', H.IsFileClosedRequestProto, { src: '/w/empty-open' }, H.IsFileClosedResponseProto)).result).toBe(true);
  });

  test('a closed file: true, even for a caller who may not write it (no permission check first in Hadoop)', async () => {
    await create('/w/closed', 'DFSClient_c');
    await complete('/w/closed', 'DFSClient_c');
    expect((await recoverLease('/w/closed', 'DFSClient_rescuer')).result).toBe(true);
    expect((await recoverLease('/w/closed', 'DFSClient_alice', alice)).result).toBe(true);
  });

  test('a missing path or a directory: FileNotFoundException', async () => {
    expect(await outcome(recoverLease('/w/nothing-here', 'DFSClient_rescuer'))).toBe(FNF);
    const dir = await recoverLease('/w', 'DFSClient_rescuer').then(() => undefined, (e: { className: string; message: string }) => e);
    expect(dir).toMatchObject({ className: FNF, message: 'Path is not a file: /w' });
  });

  test('an open file of the superuser: AccessControlException for a caller without write permission', async () => {
    await create('/w/root-open', 'DFSClient_root');
    expect(await outcome(recoverLease('/w/root-open', 'DFSClient_alice', alice))).toBe('org.apache.hadoop.security.AccessControlException');
  });
});

describe('updatePipeline', () => {
  test('commits the new stamp and pipeline; refuses another holder, an unknown block, a stale stamp and a deleted file', async () => {
    const writer = 'DFSClient_pipe';
    await create('/w/pipe', writer, 2);
    const lb = await addBlock('/w/pipe', writer);
    expect(lb.locs?.length).toBe(2);
    const oldBlock = lb.b;
    const bumped = (await call('updateBlockForPipeline', H.UpdateBlockForPipelineRequestProto, { block: oldBlock, clientName: writer }, H.UpdateBlockForPipelineResponseProto)).block.b;
    const newBlock = { ...oldBlock, generationStamp: bumped.generationStamp, numBytes: 0 };
    const survivor = lb.locs?.[1] as hadoop.hdfs.DatanodeInfoProto.$Properties;
    const update = (o: Partial<{ clientName: string; oldBlock: typeof oldBlock; newBlock: typeof newBlock }>) =>
      call(
        'updatePipeline',
        H.UpdatePipelineRequestProto,
        { clientName: writer, oldBlock, newBlock, newNodes: [survivor.id], storageIDs: [lb.storageIDs?.[1] ?? ''], ...o },
        H.UpdatePipelineResponseProto,
      );

    expect(await outcome(update({ clientName: 'DFSClient_intruder' }))).toBe(LEASE_EXPIRED);
    expect(await outcome(update({ oldBlock: { ...oldBlock, blockId: 987_654_321 } }))).toBe(IOE);
    expect(await outcome(update({ newBlock: { ...newBlock, generationStamp: oldBlock.generationStamp } }))).toBe(IOE);

    await update({});
    const located = await locations('/w/pipe');
    const last = located?.lastBlock ?? located?.blocks?.[0];
    expect(String(last?.b.generationStamp)).toBe(String(bumped.generationStamp));
    expect((last?.locs ?? []).map((l) => l.id.datanodeUuid)).toEqual([survivor.id.datanodeUuid]);
    // The same update again (a new call): the stored stamp is no longer older.
    expect(await outcome(update({}))).toBe(IOE);

    expect((await call('delete', H.DeleteRequestProto, { src: '/w/pipe', recursive: false }, H.DeleteResponseProto)).result).toBe(true);
    const later = { ...newBlock, generationStamp: int64ToNumber(bumped.generationStamp) + 100 };
    expect(await outcome(update({ oldBlock: newBlock, newBlock: later }))).toBe(IOE);
  });
});

describe('getAdditionalDatanode', () => {
  test('adds a datanode outside the pipeline; refuses another holder and a missing file', async () => {
    const writer = 'DFSClient_add';
    await create('/w/add', writer, 2);
    const lb = await addBlock('/w/add', writer);
    const existing = lb.locs ?? [];
    const req = {
      src: '/w/add',
      blk: lb.b,
      existings: existing,
      existingStorageUuids: lb.storageIDs ?? [],
      excludes: [],
      numAdditionalNodes: 1,
      clientName: writer,
    };
    const more = (await call('getAdditionalDatanode', H.GetAdditionalDatanodeRequestProto, req, H.GetAdditionalDatanodeResponseProto)).block;
    const uuids = (more.locs ?? []).map((l) => l.id.datanodeUuid);
    const all = f.datanodes.map((d) => d.uuid);
    expect(new Set(uuids)).toEqual(new Set(all));
    expect(String(more.b.blockId)).toBe(String(lb.b.blockId));
    // Hadoop hands out a COPY token, for the TRANSFER_BLOCK that fills the new node.
    expect(more.blockToken.identifier.length).toBeGreaterThan(0);

    expect(await outcome(call('getAdditionalDatanode', H.GetAdditionalDatanodeRequestProto, { ...req, clientName: 'DFSClient_intruder' }, H.GetAdditionalDatanodeResponseProto))).toBe(LEASE_EXPIRED);
    expect(await outcome(call('getAdditionalDatanode', H.GetAdditionalDatanodeRequestProto, { ...req, src: '/w/add-missing' }, H.GetAdditionalDatanodeResponseProto))).toBe(FNF);
  });
});

describe('getFileLinkInfo and getPreferredBlockSize', () => {
  beforeAll(async () => {
    await create('/w/target', 'DFSClient_t');
    await complete('/w/target', 'DFSClient_t');
    await call('createSymlink', H.CreateSymlinkRequestProto, { target: '/w/target', link: '/w/link', dirPerm: { perm: 0o755 }, createParent: false }, H.CreateSymlinkResponseProto);
  });

  test('getFileLinkInfo: a link as itself, a file as getFileInfo gives it, null for a missing path, UnresolvedPathException through a link', async () => {
    const link = (await call('getFileLinkInfo', H.GetFileLinkInfoRequestProto, { src: '/w/link' }, H.GetFileLinkInfoResponseProto)).fs;
    expect(link?.fileType).toBe(H.HdfsFileStatusProto.FileType.IS_SYMLINK);
    expect(Buffer.from(link?.symlink ?? []).toString()).toBe('/w/target');
    const file = (await call('getFileLinkInfo', H.GetFileLinkInfoRequestProto, { src: '/w/target' }, H.GetFileLinkInfoResponseProto)).fs;
    expect(file?.fileType).toBe(H.HdfsFileStatusProto.FileType.IS_FILE);
    expect(String(file?.fileId)).toBe(String((await fileInfo('/w/target'))?.fileId));
    expect((await call('getFileLinkInfo', H.GetFileLinkInfoRequestProto, { src: '/w/missing' }, H.GetFileLinkInfoResponseProto)).fs ?? undefined).toBeUndefined();
    expect(await outcome(call('getFileLinkInfo', H.GetFileLinkInfoRequestProto, { src: '/w/link/below' }, H.GetFileLinkInfoResponseProto))).toBe(
      'org.apache.hadoop.hdfs.protocol.UnresolvedPathException',
    );
  });

  test("getPreferredBlockSize: a file's block size; FileNotFoundException for a directory, a link (not followed) and a missing path", async () => {
    const size = (src: string) => call('getPreferredBlockSize', H.GetPreferredBlockSizeRequestProto, { filename: src }, H.GetPreferredBlockSizeResponseProto);
    expect(int64ToNumber((await size('/w/target')).bsize)).toBe(BLOCK);
    const refusal = (src: string) => size(src).then(() => undefined, (e: { className: string; message: string }) => ({ className: e.className, message: e.message }));
    expect(await refusal('/w')).toEqual({ className: FNF, message: 'Path is not a file: /w' });
    expect(await refusal('/w/link')).toEqual({ className: FNF, message: 'Path is not a file: /w/link' });
    expect(await refusal('/w/missing')).toEqual({ className: FNF, message: 'File does not exist: /w/missing' });
  });
});
