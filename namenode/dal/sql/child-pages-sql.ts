import type { ChildPage } from '../inode-repository';
import { sqlQuery, type Query } from '../query';
import { rowsOf, type SqlParam, type SqlRow, type SqlStatement } from './sql-session';
import { bytes, num, placeholders, preparedKeys, textsByLength } from './sql-values';

/** A page of no directory (ids are positive): what pads a prepared page read. */
const NO_PAGE: ChildPage = { parentId: -1, startAfter: '' };

/**
 * The statement of several directories' child pages (getListing's page
 * flights), one shape for any selected columns:
 *
 * * whole pages (ChildPage.whole: a directory's first page, its row counting
 *   at most `limit` children) as ONE member, `parent_id IN (…)` in key
 *   order, tagged by their parent id, capped at `limit` rows a page in all;
 * * any other page as a member of its own, `parent_id = ? AND name > ?
 *   ORDER BY name LIMIT ?`, tagged by minus one minus its index.
 *
 * The members join as a UNION ALL (MariaDB 10.11 streams it, EXPLAIN shows
 * no UNION RESULT). Whole pages alone, or other pages alone, go as prepared
 * statements padded to a prepared length; both kinds together go as text
 * (rare: a big directory's later pages among first ones) so that the
 * prepared texts a connection keeps stay few.
 */
export class ChildPagesSql {
  readonly #columns: string;
  readonly #pageMembers: (n: number) => string;
  readonly #wholeMember: (n: number) => string;

  constructor(columns: string) {
    this.#columns = columns;
    const page = this.#pageMember();
    this.#pageMembers = textsByLength((n) => (n === 1 ? page : Array.from({ length: n }, () => `(${page})`).join(' UNION ALL ')));
    this.#wholeMember = textsByLength((n) => `SELECT parent_id AS page, ${columns} FROM inodes WHERE parent_id IN (${placeholders(n)}) ORDER BY parent_id, name LIMIT ?`);
  }

  /**
   * The pages, in the order asked; a whole page undefined when the
   * statement's cap cut it short (its directory grew past `limit` since its
   * row was read). `lockClause` (one page only) reads it as a page.
   */
  query<T>(pages: readonly ChildPage[], limit: number, toEntry: (r: SqlRow) => T, lockClause = ''): Query<(T[] | undefined)[]> {
    const whole: ChildPage[] = [];
    const other: { page: ChildPage; index: number }[] = [];
    pages.forEach((page, index) => {
      if (page.whole === true && page.startAfter === '' && lockClause === '') whole.push(page);
      else other.push({ page, index });
    });
    // The cap: every whole page full, plus one row that says a directory grew.
    const cap = whole.length * limit + 1;
    const pageParams = (p: ChildPage, index: number): SqlParam[] => [-1 - index, p.parentId, bytes(p.startAfter), limit];
    let statement: SqlStatement;
    if (other.length === 0) {
      const sent = preparedKeys(whole.map((p) => p.parentId), NO_PAGE.parentId);
      statement = { sql: this.#wholeMember(sent.keys.length), params: [...sent.keys, cap], prepared: sent.prepared };
    } else if (whole.length === 0) {
      const sent = lockClause === '' ? preparedKeys(pages, NO_PAGE) : { keys: pages, prepared: false };
      statement = { sql: this.#pageMembers(sent.keys.length) + lockClause, params: sent.keys.flatMap(pageParams), prepared: sent.prepared };
    } else {
      statement = {
        sql: [`(${this.#wholeMember(whole.length)})`, ...other.map(() => `(${this.#pageMember()})`)].join(' UNION ALL '),
        params: [...whole.map((p) => p.parentId), cap, ...other.flatMap((o) => pageParams(o.page, o.index))],
        prepared: false,
      };
    }
    return sqlQuery(statement, (result) => sortPages(pages, whole, rowsOf(result), limit, cap, toEntry));
  }

  #pageMember(): string {
    return `SELECT ? AS page, ${this.#columns} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`;
  }
}

/** Each row to its page; whole pages trimmed to `limit`, and those the cap may have cut made undefined. */
function sortPages<T>(pages: readonly ChildPage[], whole: readonly ChildPage[], rows: readonly SqlRow[], limit: number, cap: number, toEntry: (r: SqlRow) => T): (T[] | undefined)[] {
  const out: (T[] | undefined)[] = pages.map(() => []);
  const wholeOf = new Map<number, T[]>();
  for (const p of whole) wholeOf.set(p.parentId, []);
  let wholeRows = 0;
  let lastWholeParent = -1;
  for (const r of rows) {
    const tag = num(r['page']);
    if (tag < 0) {
      out[-1 - tag]?.push(toEntry(r));
      continue;
    }
    wholeRows++;
    lastWholeParent = tag;
    const entries = wholeOf.get(tag);
    if (entries !== undefined && entries.length < limit) entries.push(toEntry(r));
  }
  // At the cap, the rows stopped inside the last directory seen or before later ones: those (unless already full) are unknown.
  const cut = wholeRows >= cap;
  pages.forEach((p, i) => {
    if (!(p.whole === true && p.startAfter === '') || !wholeOf.has(p.parentId)) return;
    const entries = wholeOf.get(p.parentId) as T[];
    out[i] = cut && p.parentId >= lastWholeParent && entries.length < limit ? undefined : entries;
  });
  return out;
}
