import type { DbSession } from '../../../namenode/dal/db-session';
import type { Repositories } from '../../../namenode/dal/repositories';
import { childPageBatcher, childStatusBatcher, PAGES_PER_BATCH } from '../../../namenode/ops/child-page-batcher';

type Page = { readonly parentId: number; readonly startAfter: string };

/** A database whose statements are recorded: each answers every page with one entry naming its directory. */
function recordingDb() {
  const statements: number[][] = [];
  const query = (pages: readonly Page[]) => ({ pages });
  const dal = { inodes: { findChildStatusPagesBatched: query, findChildPagesBatched: query } } as unknown as Repositories;
  const db = {
    run: async (q: { pages: readonly Page[] }) => {
      statements.push(q.pages.map((p) => p.parentId));
      return q.pages.map((p) => [{ parentId: p.parentId }]);
    },
  } as unknown as DbSession;
  return { db, dal, statements };
}

test.each([
  ['stored status bytes', childStatusBatcher],
  ['rows', childPageBatcher],
])('a burst of listings (%s) goes in statements of at most PAGES_PER_BATCH pages, all at once, each answer its own', async (_, make) => {
  const { db, dal, statements } = recordingDb();
  const batcher = make(db, dal, 1000);
  const dirs = Array.from({ length: 40 }, (_, i) => 100 + i);
  const answers = await Promise.all(dirs.map((parentId) => batcher.get({ parentId, startAfter: '' })));
  expect(answers.map((a) => (a[0] as unknown as { parentId: number }).parentId)).toEqual(dirs);
  expect(PAGES_PER_BATCH).toBe(16);
  expect(statements).toEqual([dirs.slice(0, 16), dirs.slice(16, 32), dirs.slice(32)]);
});

test.each([
  ['stored status bytes', childStatusBatcher],
  ['rows', childPageBatcher],
])('whole pages the statement cut short (%s) are read again as pages, in one more statement, each answer its own', async (_, make) => {
  const sent: Page[][] = [];
  const query = (pages: readonly Page[]) => ({ pages });
  const dal = { inodes: { findChildStatusPagesBatched: query, findChildPagesBatched: query } } as unknown as Repositories;
  const db = {
    // Cuts every whole page of a directory above 101 (as the cap does to the ids after the one where it stopped).
    run: async (q: { pages: readonly (Page & { whole?: boolean })[] }) => {
      sent.push(q.pages.map((p) => ({ ...p })));
      return q.pages.map((p) => (p.whole === true && p.parentId > 101 ? undefined : [{ parentId: p.parentId }]));
    },
  } as unknown as DbSession;
  const batcher = make(db, dal, 1000);
  const answers = await Promise.all([100, 101, 102, 103].map((parentId) => batcher.get({ parentId, startAfter: '', whole: true })));
  expect(answers.map((a) => (a[0] as unknown as { parentId: number }).parentId)).toEqual([100, 101, 102, 103]);
  expect(sent).toEqual([
    [100, 101, 102, 103].map((parentId) => ({ parentId, startAfter: '', whole: true })),
    [102, 103].map((parentId) => ({ parentId, startAfter: '' })),
  ]);
});
