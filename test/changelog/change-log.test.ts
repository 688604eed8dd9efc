import { hadoop } from '../../protocol/generated/hadoop';
import { AclScope, AclType } from '../../namenode/domain/acl';
import type { ChangeBatch, ChangeEvent } from '../../namenode/domain/change-event';
import { XAttrNamespace, XAttrSetFlag } from '../../namenode/domain/xattr';
import { contentsOf } from '../../namenode/ipc/inotify-handlers';
import { recoverExpiredLeases } from '../../namenode/leader/duties/lease-monitor';
import { ChangeLogTrimmed, type ChangeFeed } from '../../namenode/changelog/change-feed';
import { trimChangeLog } from '../../namenode/leader/duties/change-log-trim';
import { CreateFlag } from '../../namenode/ops/create';
import type { Namesystem } from '../../namenode/namesystem';
import type { Caller } from '../../namenode/security/caller';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
let feed: ChangeFeed;
beforeAll(async () => {
  f = await namesystemFixture('chlog');
  feed = f.ns.changeFeed as ChangeFeed;
});
afterAll(() => f.close());

const createFile = (ns: Namesystem, path: string, who: Caller = f.root) =>
  ns.create(who, { src: path, masked: 0o644, clientName: `DFSClient_${who.user}`, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: true, replication: 1, blockSize: 1024 * 1024 });

async function readAll(from: number): Promise<ChangeBatch[]> {
  const out: ChangeBatch[] = [];
  let cursor = from;
  for (;;) {
    const { batches, upTo } = await feed.readAfter(cursor, 100);
    out.push(...batches);
    if (upTo === cursor) return out;
    cursor = upTo;
  }
}

/** The last position, once everything committed so far has one. */
const headNow = async () => {
  await feed.sequence();
  return (await feed.clocks()).head;
};

const KIND = ['CREATE', 'CLOSE', 'APPEND', 'RENAME', 'METADATA', 'UNLINK', 'TRUNCATE'];
const META = ['TIMES', 'REPLICATION', 'OWNER', 'PERMS', 'ACLS', 'XATTRS'];
const summary = (batches: readonly ChangeBatch[]) => batches.flatMap((b) => b.events.map((e) => `${KIND[e.kind]} ${e.path}${e.dstPath ? ` ${e.dstPath}` : ''}${e.detail.metadataKind !== undefined ? ` ${META[e.detail.metadataKind]}` : ''}`));

test('each mutation commits its events in one batch, in commit order, with dense positions', async () => {
  const start = await headNow();
  await f.ns.mkdirs(f.root, '/cl/a/b', 0o755, true);
  await createFile(f.ns, '/cl/a/f');
  expect(await f.ns.complete(f.root, '/cl/a/f', 'DFSClient_' + f.root.user)).toBe(true);
  await f.ns.rename2(f.root, '/cl/a/f', '/cl/a/g', false);
  await f.ns.setPermission(f.root, '/cl/a/g', 0o600);
  await f.ns.setTimes(f.root, '/cl/a/g', 1000, 2000);
  await f.ns.delete(f.root, '/cl/a', true);
  const batches = await readAll(start);
  expect(batches.map((b) => b.position)).toEqual(batches.map((_, i) => start + i + 1));
  expect(batches.map((b) => summary([b]))).toEqual([
    ['CREATE /cl', 'CREATE /cl/a', 'CREATE /cl/a/b'],
    ['CREATE /cl/a/f'],
    ['CLOSE /cl/a/f'],
    ['RENAME /cl/a/f /cl/a/g'],
    ['METADATA /cl/a/g PERMS'],
    ['METADATA /cl/a/g TIMES'],
    ['UNLINK /cl/a'],
  ]);
});

test('a refused mutation (rolled back) leaves no event; a trimmed cursor is refused', async () => {
  await f.ns.mkdirs(f.root, '/q', 0o755, true);
  await f.ns.setQuota(f.root, { path: '/q', namespaceQuota: 2n, storagespaceQuota: 9223372036854775807n });
  const start = await headNow();
  await createFile(f.ns, '/q/one');
  await expect(createFile(f.ns, '/q/two')).rejects.toThrow(/quota/i);
  await expect(f.ns.rename2(f.root, '/q/missing', '/q/other', false)).rejects.toThrow();
  await createFile(f.ns, '/q2/three');
  expect(summary(await readAll(start))).toEqual(['CREATE /q/one', 'CREATE /q2', 'CREATE /q2/three']);
});

test('the leader trims by size: older cursors are refused, newer ones read on', async () => {
  await f.ns.mkdirs(f.root, '/trim/a', 0o755, true);
  await f.ns.mkdirs(f.root, '/trim/b', 0o755, true);
  const head = await headNow();
  const removed = await trimChangeLog(feed, { ...f.config, changeLogMaxPositions: 1 }, Date.now());
  expect(removed).toBeGreaterThan(0);
  expect((await feed.clocks()).trimmed).toBe(head - 1);
  await expect(feed.readAfter(head - 2, 10)).rejects.toBeInstanceOf(ChangeLogTrimmed);
  expect(summary(await readAll(head - 1))).toEqual(['CREATE /trim/b']);
});

test('xattr and ACL changes carry what changed, as HDFS inotify does, and encode into MetadataUpdateEventProto', async () => {
  await createFile(f.ns, '/xa/f');
  const start = await headNow();
  await f.ns.setXAttr(f.root, '/xa/f', { namespace: XAttrNamespace.USER, name: 'color', value: Buffer.from('blue') }, XAttrSetFlag.CREATE);
  await f.ns.removeXAttr(f.root, '/xa/f', { namespace: XAttrNamespace.USER, name: 'color' });
  await f.ns.modifyAclEntries(f.root, '/xa/f', [{ scope: AclScope.Access, type: AclType.User, name: 'bob', permission: 5 }]);
  const batches = await readAll(start);
  expect(summary(batches)).toEqual(['METADATA /xa/f XATTRS', 'METADATA /xa/f XATTRS', 'METADATA /xa/f PERMS', 'METADATA /xa/f ACLS']);
  const [set, removed, , acl] = batches.flatMap((b) => b.events);
  expect(set?.detail).toMatchObject({ xattrs: [{ namespace: XAttrNamespace.USER, name: 'color', value: Buffer.from('blue').toString('base64') }], xattrsRemoved: false });
  expect(removed?.detail).toMatchObject({ xattrs: [{ namespace: XAttrNamespace.USER, name: 'color', value: Buffer.from('blue').toString('base64') }], xattrsRemoved: true });
  expect(acl?.detail.acl).toContainEqual({ scope: AclScope.Access, type: AclType.User, name: 'bob', permission: 5 });
  const wire = (e: ChangeEvent | undefined) => hadoop.hdfs.MetadataUpdateEventProto.decode(contentsOf(e as ChangeEvent));
  const setProto = wire(set);
  expect(setProto.type).toBe(hadoop.hdfs.MetadataUpdateType.META_TYPE_XATTRS);
  expect(setProto.xAttrs.map((x) => [x.namespace, x.name, Buffer.from(x.value ?? []).toString()])).toEqual([[hadoop.hdfs.XAttrProto.XAttrNamespaceProto.USER, 'color', 'blue']]);
  expect(setProto.xAttrsRemoved).toBe(false);
  expect(wire(removed).xAttrsRemoved).toBe(true);
  expect(wire(acl).acls.map((a) => [a.type, a.name, a.permissions])).toContainEqual([hadoop.hdfs.AclEntryProto.AclEntryTypeProto.USER, 'bob', hadoop.hdfs.AclEntryProto.FsActionProto.READ_EXECUTE]);
});

test("the lease monitor's close of an abandoned file is logged with the file's path and length", async () => {
  await f.ns.mkdirs(f.root, '/lr/deep/er', 0o755, true);
  await createFile(f.ns, '/lr/deep/er/abandoned');
  const start = await headNow();
  const ctx = f.ns.context;
  expect(await recoverExpiredLeases(ctx, Date.now() + 10 * ctx.config.leaseHardLimitMs)).toBeGreaterThanOrEqual(1);
  const status = await f.ns.getFileInfo(f.root, '/lr/deep/er/abandoned');
  const closes = (await readAll(start)).flatMap((b) => b.events).filter((e) => e.path.startsWith('/lr/'));
  expect(closes.map((e) => [KIND[e.kind], e.path, e.detail.size])).toEqual([['CLOSE', '/lr/deep/er/abandoned', status?.length]]);
});
