import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { RemoteError } from '../../protocol/ipc/ipc-errors';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { CreateFlag } from '../../namenode/ops/create';
import { makeCaller } from '../../namenode/security/caller';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * getXAttrs and listXAttrs on the wire, as HDFS's namenode answers them
 * (FSDirXAttrOp + PBHelperClient.convertXAttrProto): the stored values in
 * both, an empty value left unset, READ on the path itself asked by both,
 * namespaces filtered per caller.
 */
const { XAttrNamespaceProto } = hadoop.hdfs.XAttrProto;
let f: NamenodeFixture;
let root: IpcClient;
let alice: IpcClient;

beforeAll(async () => {
  f = await namenodeFixture('xattr_wire');
  const [host, port] = f.address.split(':');
  const connect = (user: string) => IpcClient.connect({ host: host!, port: Number(port), user, protocolName: CLIENT_PROTOCOL });
  [root, alice] = await Promise.all([connect(f.superuser), connect('alice')]);
  const ns = f.namenode.namesystem;
  const su = makeCaller(f.superuser, [], ns.config);
  await ns.mkdirs(su, '/x', 0o755, true);
  for (const [path, mode] of [['/x/open', 0o644], ['/x/private', 0o600]] as const) {
    await ns.create(su, { src: path, masked: mode, clientName: 'c', clientMachine: 'h', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 27 });
    await ns.complete(su, path, 'c');
    await setXAttr(path, XAttrNamespaceProto.USER, 'a', Buffer.from('alpha\0beta'));
    await setXAttr(path, XAttrNamespaceProto.USER, 'empty', undefined);
    await setXAttr(path, XAttrNamespaceProto.TRUSTED, 't', Buffer.from('1'));
  }
}, 60_000);
afterAll(async () => {
  await Promise.all([root?.close(), alice?.close()]);
  await f?.close();
});

async function setXAttr(src: string, namespace: hadoop.hdfs.XAttrProto.XAttrNamespaceProto, name: string, value: Buffer | undefined): Promise<void> {
  await root.call('setXAttr', hadoop.hdfs.SetXAttrRequestProto, { src, xAttr: { namespace, name, ...(value ? { value } : {}) }, flag: 1 }, hadoop.hdfs.SetXAttrResponseProto);
}

/** Each xattr as it came off the wire: `value` only when the field was present. */
const asSent = (xs: hadoop.hdfs.IXAttrProto[]) =>
  xs.map((x) => ({ namespace: x.namespace, name: x.name, ...(Object.prototype.hasOwnProperty.call(x, 'value') ? { value: Buffer.from(x.value!).toString() } : {}) }));

const list = async (c: IpcClient, src: string) => asSent((await c.call('listXAttrs', hadoop.hdfs.ListXAttrsRequestProto, { src }, hadoop.hdfs.ListXAttrsResponseProto)).xAttrs);
const getAll = async (c: IpcClient, src: string) => asSent((await c.call('getXAttrs', hadoop.hdfs.GetXAttrsRequestProto, { src }, hadoop.hdfs.GetXAttrsResponseProto)).xAttrs);
const byName = (xs: { name?: string | null }[]) => [...xs].sort((p, q) => (p.name ?? '').localeCompare(q.name ?? ''));

test('listXAttrs carries the values, exactly as getXAttrs does; an empty value has no value field', async () => {
  const expected = [
    { namespace: XAttrNamespaceProto.USER, name: 'a', value: 'alpha\0beta' },
    { namespace: XAttrNamespaceProto.USER, name: 'empty' },
    { namespace: XAttrNamespaceProto.TRUSTED, name: 't', value: '1' },
  ];
  expect(byName(await list(root, '/x/open'))).toEqual(expected);
  expect(byName(await getAll(root, '/x/open'))).toEqual(expected);
});

test('another user sees the user namespace only, and needs READ on the file itself for either call', async () => {
  expect(byName(await list(alice, '/x/open'))).toEqual([
    { namespace: XAttrNamespaceProto.USER, name: 'a', value: 'alpha\0beta' },
    { namespace: XAttrNamespaceProto.USER, name: 'empty' },
  ]);
  for (const call of [list, getAll]) {
    const err = await call(alice, '/x/private').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).className).toBe('org.apache.hadoop.security.AccessControlException');
    expect((err as RemoteError).message).toContain('access=READ');
  }
  const missing = await list(root, '/x/none').catch((e: unknown) => e);
  expect((missing as RemoteError).className).toBe('java.io.FileNotFoundException');
});
