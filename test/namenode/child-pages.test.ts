import type { ChildPage } from '../../namenode/dal/inode-repository';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { CreateFlag } from '../../namenode/ops/create';
import { headName } from '../../namenode/wire/status-parts';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * getListing's page statement against the real server (dal/sql/child-pages-sql.ts):
 * whole directories as one IN-list range, other pages as UNION ALL members,
 * both alone (prepared) and together (text), answer what page-by-page
 * reads answer; a directory that grew past a page since its row was read
 * is trimmed to the page, and the pages the statement's cap cut come back
 * undefined to be read again.
 */
const LIMIT = 4;
let f: NamesystemFixture;
const ids: Record<string, number> = {};
const sizes: Record<string, number> = { a: 3, b: 12, c: 2, e: 0 };
const name = (i: number) => `f${String(i).padStart(2, '0')}`;
/** Every statement the namesystem sends, as sent. */
const sent: string[] = [];

beforeAll(async () => {
  f = await namesystemFixture('childpages', { listingLimit: LIMIT }, (sql) => sent.push(sql));
  // Created in this order, so their ids ascend a < b < c < e (the statement reads whole pages in id order).
  for (const [dir, n] of Object.entries(sizes)) {
    await f.ns.mkdirs(f.root, `/w/${dir}`, 0o755, true);
    for (let i = 0; i < n; i++)
      await f.ns.create(f.root, { src: `/w/${dir}/${name(i)}`, masked: 0o644, clientName: 'DFSClient_pages', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1024 * 1024 });
    ids[dir] = (await f.ns.getFileInfo(f.root, `/w/${dir}`))?.fileId as number;
  }
});
afterAll(async () => {
  await f?.close();
});

const rowNames = async (pages: ChildPage[]) => (await f.sqlDb.run(sqlRepositories.inodes.findChildPagesBatched(pages, LIMIT))).map((p) => p?.map((r) => r.name));
const statusNames = async (pages: ChildPage[]) => (await f.sqlDb.run(sqlRepositories.inodes.findChildStatusPagesBatched(pages, LIMIT))).map((p) => p?.map((s) => headName(s.head as Buffer)));
const first = (dir: string, n = sizes[dir] as number) => Array.from({ length: Math.min(n, LIMIT) }, (_, i) => name(i));

test.each([
  ['rows', rowNames],
  ['status bytes', statusNames],
])('whole pages alone, other pages alone, and both in one statement answer as page-by-page reads (%s)', async (_, read) => {
  const page = (dir: string, startAfter = '', whole = false): ChildPage => ({ parentId: ids[dir] as number, startAfter, whole });
  // Whole pages alone: one IN-list range, in the order asked (not the id order), an empty directory empty.
  expect(await read([page('c', '', true), page('a', '', true), page('e', '', true)])).toEqual([first('c'), first('a'), []]);
  // Other pages alone, as before.
  expect(await read([page('b', name(3)), page('a')])).toEqual([[name(4), name(5), name(6), name(7)], first('a')]);
  // Together: a big directory's later page among first pages.
  expect(await read([page('a', '', true), page('b', name(7)), page('c', '', true), page('b')])).toEqual([first('a'), [name(8), name(9), name(10), name(11)], first('c'), first('b')]);
  // A whole flag on a later page is ignored: it is read as a page.
  expect(await read([page('b', name(9), true)])).toEqual([[name(10), name(11)]]);
});

test.each([
  ['rows', rowNames],
  ['status bytes', statusNames],
])('a directory that grew past a page is trimmed to it; the pages the cap cut come back undefined (%s)', async (_, read) => {
  // b's row said "at most a page" (as if read before it grew to 12). Four pages: a cap of 4 × 4 + 1 = 17 rows, reached
  // at c's last (3 of a, 12 of b, 2 of c): b is trimmed to a page; c, not full, and e, after it, may have been cut.
  const whole = (dir: string): ChildPage => ({ parentId: ids[dir] as number, startAfter: '', whole: true });
  expect(await read([whole('a'), whole('b'), whole('c'), whole('e')])).toEqual([first('a'), first('b'), undefined, undefined]);
  // Three pages: a cap of 13 rows, reached inside b (3 of a, then 10 of b): b is full all the same, c and e (after it) unknown.
  expect(await read([whole('e'), whole('b'), whole('a')])).toEqual([undefined, first('b'), first('a')]);
  expect(await read([whole('a'), whole('b'), whole('c')])).toEqual([first('a'), first('b'), undefined]);
});

test('getListing pages a directory past the limit and lists small ones whole, through the namesystem', async () => {
  const listing = async (dir: string, after = '') => {
    const l = await f.ns.getListing(f.root, `/w/${dir}`, after);
    return { names: l?.entries.map((e) => e.name), remaining: l?.remaining };
  };
  sent.length = 0;
  const all = await Promise.all(['a', 'b', 'c', 'e'].map((d) => listing(d)));
  // One page statement: a, c and e (at most a page of children) as one IN-list range, b as a page of its own.
  const pageStatements = sent.filter((s) => s.includes('ORDER BY'));
  expect(pageStatements).toHaveLength(1);
  // Both kinds together go as text (the parameters inlined as sent): the cap is three pages of 4 and a row.
  expect(pageStatements[0]).toMatch(/WHERE parent_id IN \((\d+,){2}\d+\) ORDER BY parent_id, name LIMIT 13\) UNION ALL \(SELECT -2 AS page, .* WHERE parent_id = \d+ AND name > X'' ORDER BY name LIMIT 4\)$/);
  expect(all).toEqual([
    { names: first('a'), remaining: 0 },
    { names: first('b'), remaining: 8 },
    { names: first('c'), remaining: 0 },
    { names: [], remaining: 0 },
  ]);
  expect(await listing('b', name(7))).toEqual({ names: [name(8), name(9), name(10), name(11)], remaining: 0 });
});
