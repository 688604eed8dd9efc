import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { encodeConnectionContextFrame, encodeRequestFrame } from '../../protocol/ipc/frame-codec';
import { encodePreamble } from '../../protocol/ipc/preamble';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { hdfs } from '../harness/go-hdfs';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

let f: NamenodeFixture;
beforeAll(async () => {
  f = await namenodeFixture('garbage');
});
afterAll(() => f.close());

/** Sends `bytes`, then reports what the server did with this one connection. */
function throwAt(bytes: Buffer): Promise<{ closed: boolean; answered: number }> {
  return new Promise((resolve) => {
    const s = connect(f.namenode.rpcPort, '127.0.0.1');
    let answered = 0;
    s.on('data', (d: Buffer) => (answered += d.length));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ closed: true, answered }));
    s.write(bytes);
    setTimeout(() => {
      s.destroy();
      resolve({ closed: false, answered });
    }, 1500);
  });
}

const clientId = randomBytes(16);
const handshake = () => Buffer.concat([encodePreamble(), encodeConnectionContextFrame({ clientId, user: f.superuser, protocol: CLIENT_PROTOCOL })]);

test('garbage closes or answers only its own connection; a real client keeps working throughout', async () => {
  expect(await hdfs(f.address, f.superuser, ['mkdir', '-p', '/still/here'])).toEqual({ code: 0, stdout: '', stderr: '' });
  const good = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
  const stat = async () => (await good.call('getFileInfo', hadoop.hdfs.GetFileInfoRequestProto, { src: '/still/here' }, hadoop.hdfs.GetFileInfoResponseProto)).fs;
  const lengthClaim = Buffer.alloc(4);
  lengthClaim.writeUInt32BE(0x80000000);
  const truncated = encodeRequestFrame({ callId: 1, clientId, method: 'getFileInfo', protocol: CLIENT_PROTOCOL }, hadoop.hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish());
  // [what, bytes, whether the server hangs up on it at once]; a truncated frame just waits for the rest.
  const cases: [string, Buffer, boolean][] = [
    ['random bytes', randomBytes(4096), true],
    ['a wrong preamble', Buffer.from('hrpX\x09\x00\x00GARBAGE'), true],
    ['a truncated frame', Buffer.concat([handshake(), truncated.subarray(0, truncated.length - 5)]), false],
    ['a frame claiming 2 GiB', Buffer.concat([handshake(), lengthClaim]), true],
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), true],
  ];
  for (const [name, bytes, closes] of cases) {
    const outcome = throwAt(bytes);
    // Interleave real work with the garbage.
    expect(await stat()).toBeTruthy();
    const r = await outcome;
    expect({ name, closed: r.closed }).toEqual({ name, closed: closes });
    expect(await stat()).toBeTruthy();
  }
  // An unknown method is answered with Hadoop's exception and the connection stays usable.
  await expect(good.call('noSuchMethod', hadoop.hdfs.GetFileInfoRequestProto, { src: '/' }, hadoop.hdfs.GetFileInfoResponseProto)).rejects.toMatchObject({
    className: 'org.apache.hadoop.ipc.RpcNoSuchMethodException',
  });
  expect(await stat()).toBeTruthy();
  // A request body that does not parse as its message (field 1 claims 127 bytes, none follow; then
  // one missing mkdirs' required fields): an ERROR answer for that call only, the connection kept.
  for (const body of [Buffer.from([0x0a, 0x7f]), Buffer.alloc(0)]) {
    await expect(good.callRaw('mkdirs', body)).rejects.toMatchObject({
      name: 'RemoteError',
      className: 'org.apache.hadoop.ipc.RpcServerException',
      message: expect.stringMatching(/^IPC server unable to read call parameters for mkdirs: /),
      fatal: false,
    });
    expect(await stat()).toBeTruthy();
  }
  const ls = await hdfs(f.address, f.superuser, ['ls', '/still']);
  expect(ls).toEqual({ code: 0, stdout: 'here\n', stderr: '' });
  await good.close();
});
