import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const H = hadoop.hdfs;
let f: NamenodeFixture;
beforeAll(async () => {
  f = await namenodeFixture('doas');
});
afterAll(() => f.close());

const as = (user: string, realUser?: string) =>
  IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user, ...(realUser !== undefined ? { realUser } : {}), protocolName: CLIENT_PROTOCOL });

test('SIMPLE auth: the user comes from the connection context; doAs only for the superuser', async () => {
  const root = await as(f.superuser);
  await root.call('mkdirs', H.MkdirsRequestProto, { src: '/home/alice', masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
  await root.call('setOwner', H.SetOwnerRequestProto, { src: '/home/alice', username: 'alice' }, H.SetOwnerResponseProto);
  // The superuser acting for alice: the directory alice makes is hers.
  const proxied = await as('alice', f.superuser);
  await proxied.call('mkdirs', H.MkdirsRequestProto, { src: '/home/alice/work', masked: { perm: 0o755 }, createParent: false }, H.MkdirsResponseProto);
  const st = await root.call('getFileInfo', H.GetFileInfoRequestProto, { src: '/home/alice/work' }, H.GetFileInfoResponseProto);
  expect(st.fs?.owner).toBe('alice');
  // bob may not impersonate alice.
  const bobAsAlice = await as('alice', 'bob');
  await expect(bobAsAlice.call('getFileInfo', H.GetFileInfoRequestProto, { src: '/' }, H.GetFileInfoResponseProto)).rejects.toMatchObject({
    className: 'org.apache.hadoop.security.AccessControlException',
    message: expect.stringMatching(/User: bob is not allowed to impersonate alice/),
  });
  // And bob as himself is not alice.
  const bob = await as('bob');
  await expect(bob.call('mkdirs', H.MkdirsRequestProto, { src: '/home/alice/bobs', masked: { perm: 0o755 }, createParent: false }, H.MkdirsResponseProto)).rejects.toMatchObject({
    className: 'org.apache.hadoop.security.AccessControlException',
  });
  await Promise.all([root, proxied, bobAsAlice, bob].map((c) => c.close()));
});
