import { userInfo } from 'node:os';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

const H = hadoop.hdfs;
let f: NamenodeFixture;
beforeAll(async () => {
  // hadoop.proxyuser.<superuser>.hosts=127.0.0.1, .users=alice
  f = await namenodeFixture('doas', { proxyUsers: { [userInfo().username]: { hosts: '127.0.0.1', users: 'alice' } } });
});
afterAll(() => f.close());

const as = (user: string, realUser?: string) =>
  IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user, ...(realUser !== undefined ? { realUser } : {}), protocolName: CLIENT_PROTOCOL });

test('SIMPLE auth: the user comes from the connection context; doAs only as the proxyuser rules allow', async () => {
  const root = await as(f.superuser);
  await root.call('mkdirs', H.MkdirsRequestProto, { src: '/home/alice', masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
  await root.call('setOwner', H.SetOwnerRequestProto, { src: '/home/alice', username: 'alice' }, H.SetOwnerResponseProto);
  // The superuser acting for alice (its rule lists her): the directory alice makes is hers.
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
  // Being the superuser grants no impersonation beyond the rule: not bob.
  const rootAsBob = await as('bob', f.superuser);
  await expect(rootAsBob.call('getFileInfo', H.GetFileInfoRequestProto, { src: '/' }, H.GetFileInfoResponseProto)).rejects.toMatchObject({
    className: 'org.apache.hadoop.security.AccessControlException',
    message: `User: ${f.superuser} is not allowed to impersonate bob`,
  });
  // And bob as himself is not alice.
  const bob = await as('bob');
  await expect(bob.call('mkdirs', H.MkdirsRequestProto, { src: '/home/alice/bobs', masked: { perm: 0o755 }, createParent: false }, H.MkdirsResponseProto)).rejects.toMatchObject({
    className: 'org.apache.hadoop.security.AccessControlException',
  });
  await Promise.all([root, proxied, bobAsAlice, rootAsBob, bob].map((c) => c.close()));
});
