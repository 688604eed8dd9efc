import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { CreateFlag } from '../../namenode/ops/create';
import { XAttrNamespace, XAttrSetFlag } from '../../namenode/domain/xattr';
import { ROOT_INODE_ID } from '../../schema/tables';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * getXAttrs reads the xattrs in one statement with the rows its path
 * resolved to (xattrs.findByInodeOnPath, on MariaDB): once the path names
 * another inode (the file renamed, deleted and created again, or an
 * ancestor moved), the read answers "changed", never the xattrs of an
 * inode the path no longer has (a concurrent delete made it answer "no
 * xattrs" for a file that had one: test/cache/coherent-cache.test.ts).
 */
let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('xattronpath');
}, 60_000);
afterAll(() => f?.close());

const xattrs = sqlRepositories.xattrs;

async function chainOf(path: string) {
  const parts = path.split('/').filter((p) => p !== '');
  const chain: { parentId: number; name: string; id: number }[] = [];
  let parentId = ROOT_INODE_ID;
  for (let i = 0; i < parts.length; i++) {
    const st = await f.ns.getFileInfo(f.root, '/' + parts.slice(0, i + 1).join('/'));
    if (!st) throw new Error(`no ${path}`);
    chain.push({ parentId, name: parts[i] as string, id: st.fileId });
    parentId = st.fileId;
  }
  return chain;
}

test('the xattrs are answered only while every row of the path still holds its key', async () => {
  const who = f.root;
  await f.ns.mkdirs(who, '/d', 0o755, true);
  const create = (src: string) => f.ns.create(who, { src, masked: 0o644, clientName: 'DFSClient_xp', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 20 });
  await create('/d/f');
  await f.ns.setXAttr(who, '/d/f', { namespace: XAttrNamespace.USER, name: 'v', value: Buffer.from('one') }, XAttrSetFlag.CREATE);
  const chain = await chainOf('/d/f');
  const id = (chain[1] as { id: number }).id;
  const read = () => f.sqlDb.run(xattrs.findByInodeOnPath(chain, id));
  expect((await read())?.map((x) => `${x.name}=${x.value?.toString()}`)).toEqual(['v=one']);
  expect(await f.sqlDb.run(xattrs.findByInodeOnPath([], ROOT_INODE_ID))).toEqual([]);

  await f.ns.rename(who, '/d/f', '/d/g');
  expect(await read()).toBeUndefined();
  await f.ns.rename(who, '/d/g', '/d/f');
  expect(await read()).toHaveLength(1);

  await f.ns.rename(who, '/d', '/e');
  expect(await read()).toBeUndefined();
  await f.ns.rename(who, '/e', '/d');
  expect(await read()).toHaveLength(1);

  await f.ns.delete(who, '/d/f', false);
  await create('/d/f');
  expect(await read()).toBeUndefined();
  const again = await chainOf('/d/f');
  expect(await f.sqlDb.run(xattrs.findByInodeOnPath(again, (again[1] as { id: number }).id))).toEqual([]);
  // Through the namesystem: the new file answers no xattrs.
  expect(await f.ns.getXAttrs(who, '/d/f', [])).toEqual([]);
});
