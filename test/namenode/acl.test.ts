import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { namesystemFixture } from '../harness/namesystem-fixture';

/**
 * HDFS ACLs through ClientProtocol on a real namenode and MariaDB, as the
 * Java client calls them (hdfs dfs -setfacl / -getfacl). Users: the
 * superuser (owns everything made here), alice (group staff), bob (group
 * bob), carol (no groups).
 */
const H = hadoop.hdfs;
const { AclEntryScopeProto: Scope, AclEntryTypeProto: Type } = H.AclEntryProto;
const ACL_BIT = 1 << 12;
const ACL_CLASS = 'org.apache.hadoop.hdfs.protocol.AclException';
const DENIED = 'org.apache.hadoop.security.AccessControlException';

let f: NamenodeFixture;
const clients = new Map<string, IpcClient>();
beforeAll(async () => {
  f = await namenodeFixture('acl');
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.close()));
  await f?.close();
});

async function as(user: string): Promise<IpcClient> {
  let c = clients.get(user);
  if (!c) {
    c = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user, protocolName: CLIENT_PROTOCOL });
    clients.set(user, c);
  }
  return c;
}
const root = () => as(f.superuser);

/** `user:bob:r-x`, `default:mask::rwx`: setfacl's spelling. */
function entry(text: string): hadoop.hdfs.AclEntryProto.$Properties {
  const parts = text.split(':');
  const scope = parts[0] === 'default' ? Scope.DEFAULT : Scope.ACCESS;
  if (scope === Scope.DEFAULT) parts.shift();
  const [type, name, perm] = parts as [string, string, string];
  const permissions = (perm[0] === 'r' ? 4 : 0) | (perm[1] === 'w' ? 2 : 0) | (perm[2] === 'x' ? 1 : 0);
  const t = { user: Type.USER, group: Type.GROUP, mask: Type.MASK, other: Type.OTHER }[type] as hadoop.hdfs.AclEntryProto.AclEntryTypeProto;
  return { scope, type: t, permissions, ...(name ? { name } : {}) };
}
const SYMBOL = ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'];
const entryText = (e: hadoop.hdfs.IAclEntryProto) =>
  `${e.scope === Scope.DEFAULT ? 'default:' : ''}${['user', 'group', 'mask', 'other'][e.type]}:${e.name ?? ''}:${SYMBOL[e.permissions]}`;

const call = {
  mkdirs: async (user: string, src: string, masked: number, unmasked?: number, createParent = false) =>
    (await as(user)).call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: masked }, ...(unmasked !== undefined ? { unmasked: { perm: unmasked } } : {}), createParent }, H.MkdirsResponseProto),
  create: async (user: string, src: string, masked: number, unmasked?: number) =>
    (await as(user)).call(
      'create',
      H.CreateRequestProto,
      { src, masked: { perm: masked }, ...(unmasked !== undefined ? { unmasked: { perm: unmasked } } : {}), clientName: `DFSClient_${user}`, createFlag: 1, createParent: false, replication: 1, blockSize: 1 << 20 },
      H.CreateResponseProto,
    ),
  list: async (user: string, src: string) => (await as(user)).call('getListing', H.GetListingRequestProto, { src, startAfter: Buffer.alloc(0), needLocation: false }, H.GetListingResponseProto),
  read: async (user: string, src: string) => (await as(user)).call('getBlockLocations', H.GetBlockLocationsRequestProto, { src, offset: 0, length: 1 }, H.GetBlockLocationsResponseProto),
  chmod: async (src: string, perm: number) => (await root()).call('setPermission', H.SetPermissionRequestProto, { src, permission: { perm } }, H.SetPermissionResponseProto),
  stat: async (src: string) => (await (await root()).call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs!,
  modify: async (src: string, spec: string[], user = f.superuser) =>
    (await as(user)).call('modifyAclEntries', H.ModifyAclEntriesRequestProto, { src, aclSpec: spec.map(entry) }, H.ModifyAclEntriesResponseProto),
  removeEntries: async (src: string, spec: string[]) =>
    (await root()).call('removeAclEntries', H.RemoveAclEntriesRequestProto, { src, aclSpec: spec.map(entry) }, H.RemoveAclEntriesResponseProto),
  set: async (src: string, spec: string[], user = f.superuser) => (await as(user)).call('setAcl', H.SetAclRequestProto, { src, aclSpec: spec.map(entry) }, H.SetAclResponseProto),
  removeDefault: async (src: string) => (await root()).call('removeDefaultAcl', H.RemoveDefaultAclRequestProto, { src }, H.RemoveDefaultAclResponseProto),
  remove: async (src: string) => (await root()).call('removeAcl', H.RemoveAclRequestProto, { src }, H.RemoveAclResponseProto),
  status: async (src: string, user = f.superuser) => (await (await as(user)).call('getAclStatus', H.GetAclStatusRequestProto, { src }, H.GetAclStatusResponseProto)).result,
};
const facl = async (src: string) => (await call.status(src)).entries!.map(entryText);
const denied = (p: Promise<unknown>, message?: RegExp) => expect(p).rejects.toMatchObject({ className: DENIED, ...(message ? { message: expect.stringMatching(message) } : {}) });
const aclException = (p: Promise<unknown>, message: string) => expect(p).rejects.toMatchObject({ className: ACL_CLASS, message });

test('a named user entry lets bob in where other is denied; the mask (chmod g=) limits it; removeAcl restores the bits', async () => {
  await call.mkdirs(f.superuser, '/t1', 0o750);
  await denied(call.list('bob', '/t1'), /user=bob, access=READ_EXECUTE, inode="\/t1":.*:drwxr-x---$/);

  await call.modify('/t1', ['user:bob:r-x']);
  expect((await call.list('bob', '/t1')).dirList?.partialListing).toEqual([]);
  // alice is neither named nor in the owning group: other's bits, and the denial says an ACL decided it.
  await denied(call.list('alice', '/t1'), /drwxr-x---\+$/);
  await denied(call.mkdirs('bob', '/t1/b1', 0o755), /user=bob, access=WRITE/);

  await call.modify('/t1', ['user:bob:rwx']);
  expect(await facl('/t1')).toEqual(['user:bob:rwx', 'group::r-x']);
  let st = await call.stat('/t1');
  expect([st.permission.perm, st.flags]).toEqual([0o770 | ACL_BIT, H.HdfsFileStatusProto.Flags.HAS_ACL]);
  expect((await call.mkdirs('bob', '/t1/b1', 0o755)).result).toBe(true);

  // chmod with an extended ACL sets the mask: bob's rwx is now r-x in effect.
  await call.chmod('/t1', 0o1750);
  expect(await call.status('/t1')).toMatchObject({ owner: f.superuser, sticky: true, permission: { perm: 0o1750 } });
  expect(await facl('/t1')).toEqual(['user:bob:rwx', 'group::r-x']);
  await denied(call.mkdirs('bob', '/t1/b2', 0o755));

  // A named group: alice through group:staff, once the mask allows.
  await call.modify('/t1', ['group:staff:rwx', 'mask::rwx']);
  expect((await call.mkdirs('alice', '/t1/a1', 0o755)).result).toBe(true);
  await denied(call.mkdirs('carol', '/t1/c1', 0o755));

  // removeAcl: the owning group's entry goes back into the group bits, the sticky bit stays.
  await call.remove('/t1');
  st = await call.stat('/t1');
  expect([st.permission.perm, st.flags]).toEqual([0o1750, 0]);
  expect(await facl('/t1')).toEqual([]);
  await denied(call.list('bob', '/t1'));
});

test('a default ACL is inherited by mkdirs and create: the unmasked mode filters it, not the umask; directories inherit the default too', async () => {
  await call.mkdirs(f.superuser, '/t2', 0o755);
  await call.set('/t2', ['user::rwx', 'group::r-x', 'other::r-x', 'default:user::rwx', 'default:user:bob:rwx', 'default:group::r-x', 'default:other::---']);
  const defaults = ['default:user::rwx', 'default:user:bob:rwx', 'default:group::r-x', 'default:mask::rwx', 'default:other::---'];
  expect(await facl('/t2')).toEqual(defaults);
  // Only a default ACL: the inode's own access is still its bits, but it has an ACL.
  expect((await call.stat('/t2')).flags).toBe(H.HdfsFileStatusProto.Flags.HAS_ACL);

  // mkdirs as the Java client sends it: 0777 with umask 022 → masked 0755, unmasked 0777.
  await call.mkdirs(f.superuser, '/t2/sub', 0o755, 0o777);
  expect(await facl('/t2/sub')).toEqual(['user:bob:rwx', 'group::r-x', ...defaults]);
  expect((await call.stat('/t2/sub')).permission.perm).toBe(0o770 | ACL_BIT);
  expect((await call.mkdirs('bob', '/t2/sub/bobs', 0o755, 0o777)).result).toBe(true);
  await denied(call.mkdirs('alice', '/t2/sub/alices', 0o755, 0o777));

  // create: 0666 unmasked → owner rw-, mask rw-, other ---; a file takes no default ACL.
  await call.create(f.superuser, '/t2/f', 0o644, 0o666);
  expect(await facl('/t2/f')).toEqual(['user:bob:rwx', 'group::r-x']);
  expect((await call.stat('/t2/f')).permission.perm).toBe(0o660 | ACL_BIT);
  expect((await call.read('bob', '/t2/f')).locations).toBeDefined();
  await denied(call.read('alice', '/t2/f'));

  // A client that sends no unmasked mode (Hadoop 2, the Go client): the masked mode filters.
  await call.create(f.superuser, '/t2/g', 0o600);
  expect((await call.stat('/t2/g')).permission.perm).toBe(0o600 | ACL_BIT);
  await denied(call.read('bob', '/t2/g'), /-rw-------\+$/);

  // mkdirs -p: every directory made on the way inherits, and passes the default on.
  await call.mkdirs(f.superuser, '/t2/a/b', 0o755, 0o777, true);
  expect(await facl('/t2/a')).toEqual(['user:bob:rwx', 'group::r-x', ...defaults]);
  expect(await facl('/t2/a/b')).toEqual(['user:bob:rwx', 'group::r-x', ...defaults]);

  // removeDefaultAcl: new children no longer inherit.
  await call.removeDefault('/t2');
  expect(await facl('/t2')).toEqual([]);
  expect((await call.stat('/t2')).flags).toBe(0);
  await call.mkdirs(f.superuser, '/t2/later', 0o755, 0o777);
  expect([(await call.stat('/t2/later')).permission.perm, await facl('/t2/later')]).toEqual([0o755, []]);
});

test('invalid ACLs answer AclException and change nothing; only the owner changes an ACL; getAclStatus needs only traverse', async () => {
  await call.mkdirs(f.superuser, '/t3', 0o755);
  await call.create(f.superuser, '/t3/f', 0o640);
  await call.modify('/t3/f', ['user:bob:r--']);
  const before = { facl: await facl('/t3/f'), perm: (await call.stat('/t3/f')).permission.perm };
  const unchanged = async () => expect({ facl: await facl('/t3/f'), perm: (await call.stat('/t3/f')).permission.perm }).toEqual(before);

  await aclException(call.modify('/t3/f', ['default:user:bob:r--']), 'Invalid ACL: only directories may have a default ACL.');
  await unchanged();
  await aclException(call.modify('/t3/f', Array.from({ length: 33 }, (_, i) => `user:u${i}:r--`)), 'Invalid ACL: ACL spec has 33 entries, which exceeds maximum of 32.');
  await aclException(call.modify('/t3/f', Array.from({ length: 28 }, (_, i) => `user:u${i}:r--`)), 'Invalid ACL: ACL has 33 entries, which exceeds maximum of 32.');
  await aclException(call.modify('/t3/f', ['user:alice:r--', 'user:alice:rw-']), 'Invalid ACL: multiple entries with same scope, type and name.');
  await aclException(call.removeEntries('/t3/f', ['mask::---']), 'Invalid ACL: mask is required, but it was deleted.');
  await aclException(call.set('/t3/f', ['user::rw-', 'group::r--']), 'Invalid ACL: the user, group and other entries are required.');
  await aclException(call.modify('/t3/f', [`user:${'x'.repeat(256)}:r--`]), 'Invalid ACL: the name of an entry is longer than 255 bytes.');
  await unchanged();
  // A hostile enum value is refused by the decoder, before it reaches the namespace.
  await expect(
    (await root()).call('setAcl', H.SetAclRequestProto, { src: '/t3/f', aclSpec: [{ scope: 7 as hadoop.hdfs.AclEntryProto.AclEntryScopeProto, type: 0, permissions: 7 }] }, H.SetAclResponseProto),
  ).rejects.toMatchObject({ className: 'org.apache.hadoop.ipc.RpcServerException', message: expect.stringMatching(/unable to read call parameters for setAcl/) });
  await unchanged();

  // bob is not the owner: his entry lets him read the file, not change its ACL.
  await denied(call.modify('/t3/f', ['user:bob:rwx'], 'bob'), /user=bob is not the owner of inode=\/t3\/f/);
  await denied(call.set('/t3/f', ['user::rwx', 'group::rwx', 'other::rwx'], 'bob'));
  await unchanged();
  // carol may not read the file, but getfacl asks only for traverse.
  await denied(call.read('carol', '/t3/f'));
  expect((await call.status('/t3/f', 'carol')).entries!.map(entryText)).toEqual(before.facl);

  await expect(call.status('/t3/missing')).rejects.toMatchObject({ className: 'java.io.FileNotFoundException', message: 'cannot find /t3/missing' });
  // setAcl with the minimal entries only is removeAcl by another name.
  await call.set('/t3/f', ['user::rw-', 'group::r--', 'other::---']);
  expect([(await call.stat('/t3/f')).permission.perm, await facl('/t3/f')]).toEqual([0o640, []]);
});

test('dfs.namenode.acls.enabled=false: every ACL call answers AclException', async () => {
  const off = await f.another({ aclsEnabled: false });
  const c = await IpcClient.connect({ host: '127.0.0.1', port: off.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
  try {
    const message = 'The ACL operation has been rejected.  Support for ACLs has been disabled by setting dfs.namenode.acls.enabled to false.';
    await aclException(c.call('getAclStatus', H.GetAclStatusRequestProto, { src: '/' }, H.GetAclStatusResponseProto), message);
    await aclException(c.call('setAcl', H.SetAclRequestProto, { src: '/', aclSpec: [entry('user:bob:rwx')] }, H.SetAclResponseProto), message);
    await aclException(c.call('removeAcl', H.RemoveAclRequestProto, { src: '/' }, H.RemoveAclResponseProto), message);
  } finally {
    await c.close();
  }
});

test('an inode with an ACL costs getFileInfo no more statements: its entries come with its row', async () => {
  const n = await namesystemFixture('aclcost');
  try {
    await n.ns.mkdirs(n.root, '/a/b/c', 0o755, true);
    await n.ns.modifyAclEntries(n.root, '/a/b', [{ scope: 0, type: 0, name: 'bob', permission: 5 }]);
    await n.ns.modifyAclEntries(n.root, '/a/b/c', [{ scope: 0, type: 1, name: 'staff', permission: 7 }]);
    // The namesystem's own statements, not the server's: other test files share the server.
    const statements = () => n.sqlDb.statementCounts();
    expect((await n.ns.getFileInfo(n.bob, '/a/b/c'))?.hasAcl).toBe(true);
    const q0 = statements();
    expect((await n.ns.getFileInfo(n.bob, '/a/b/c'))?.hasAcl).toBe(true);
    const q1 = statements();
    // One batched SELECT with a warm hint cache.
    expect(q1).toEqual({ ...q0, SELECT: (q0['SELECT'] ?? 0) + 1 });
  } finally {
    await n.close();
  }
});
