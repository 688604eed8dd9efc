import { randomBytes } from 'node:crypto';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const H = hadoop.hdfs;
let f: NamenodeFixture;
let nnB: Awaited<ReturnType<NamenodeFixture['another']>>;
let portB: number;
beforeAll(async () => {
  f = await namenodeFixture('amo');
  nnB = await f.another();
  portB = nnB.rpcPort;
});
afterAll(() => f.close());

const connect = (port: number, clientId: Uint8Array) =>
  IpcClient.connect({ host: '127.0.0.1', port, user: f.superuser, protocolName: CLIENT_PROTOCOL, clientId });

test('a create retried on another namenode gets the original answer, not FileAlreadyExists', async () => {
  const clientId = randomBytes(16);
  const a = await connect(f.namenode.rpcPort, clientId);
  const b = await connect(portB, clientId);
  try {
    const req = { src: '/amo-create', masked: { perm: 0o644 }, clientName: 'DFSClient_amo', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 27 };
    const first = await a.call('create', H.CreateRequestProto, req, H.CreateResponseProto, { callId: 7 });
    const retried = await b.call('create', H.CreateRequestProto, req, H.CreateResponseProto, { callId: 7, retryCount: 1 });
    expect(Number(retried.fs?.fileId)).toBe(Number(first.fs?.fileId));
    // The same request as a new call (new call id) is a second create of a file its client still writes: it fails,
    // as Hadoop's recoverLeaseInternal answers it.
    await expect(b.call('create', H.CreateRequestProto, req, H.CreateResponseProto, { callId: 8 })).rejects.toMatchObject({
      className: 'org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException',
    });
    expect(nnB.namesystem.runner.stats.retryCacheHits).toBe(1);
  } finally {
    a.close();
    b.close();
  }
});

test('a delete and a rename retried after success answer true again and are applied once', async () => {
  const clientId = randomBytes(16);
  const a = await connect(f.namenode.rpcPort, clientId);
  const b = await connect(portB, clientId);
  try {
    await a.call('mkdirs', H.MkdirsRequestProto, { src: '/amo/x', masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
    const rename = { src: '/amo/x', dst: '/amo/y' };
    expect((await a.call('rename', H.RenameRequestProto, rename, H.RenameResponseProto, { callId: 100 })).result).toBe(true);
    expect((await b.call('rename', H.RenameRequestProto, rename, H.RenameResponseProto, { callId: 100, retryCount: 1 })).result).toBe(true);
    const del = { src: '/amo/y', recursive: true };
    expect((await a.call('delete', H.DeleteRequestProto, del, H.DeleteResponseProto, { callId: 101 })).result).toBe(true);
    expect((await b.call('delete', H.DeleteRequestProto, del, H.DeleteResponseProto, { callId: 101, retryCount: 1 })).result).toBe(true);
    // Without the retry cache this would be false: the path is gone.
    expect((await b.call('delete', H.DeleteRequestProto, del, H.DeleteResponseProto, { callId: 102 })).result).toBe(false);
  } finally {
    a.close();
    b.close();
  }
});

test('two concurrent attempts of one call run the operation once', async () => {
  const clientId = randomBytes(16);
  const a = await connect(f.namenode.rpcPort, clientId);
  const b = await connect(portB, clientId);
  try {
    const req = { src: '/amo-race', masked: { perm: 0o644 }, clientName: 'DFSClient_race', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 27 };
    const [r1, r2] = await Promise.all([
      a.call('create', H.CreateRequestProto, req, H.CreateResponseProto, { callId: 55 }),
      b.call('create', H.CreateRequestProto, req, H.CreateResponseProto, { callId: 55, retryCount: 1 }),
    ]);
    expect(Number(r1.fs?.fileId)).toBe(Number(r2.fs?.fileId));
  } finally {
    a.close();
    b.close();
  }
});
