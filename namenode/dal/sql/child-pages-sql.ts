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
  readonly #page: string;
  readonly #pageMembers: (n: number) => string;
  readonly #wholeMember: (n: number) => string;

  constructor(columns: string) {
    const page = `SELECT ? AS page, ${columns} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`;
    this.#page = page;
    this.#pageMembers = textsByLength((n) => (n === 1 ? page : Array.from({ length: n }, () => `(${page})`).join(' UNION ALL ')));
    this.#wholeMember = textsByLength((n) => `SELECT parent_id AS page, ${columns} FROM inodes WHERE parent_id IN (${placeholders(n)}) ORDER BY parent_id, name LIMIT ?`);
  }

  /**
   * The pages, in the order asked; a whole page undefined when the
   * statement's cap cut it short (its directory grew past `limit` since its
   * row was read). `lockClause` (one page only) reads it as a page.
   */
  query<T>(pages: readonly ChildPage[], limit: number, toEntry: (r: SqlRow) => T, lockClause = ''): Query<(T[] | undefined)[]> {
    const whole: Indexed[] = [];
    const other: Indexed[] = [];
    pages.forEach((page, index) => (page.whole === true && page.startAfter === '' && lockClause === '' ? whole : other).push({ page, index }));
    // The cap: every whole page full, plus one row that says a directory grew.
    const cap = whole.length * limit + 1;
    const wholeIds = whole.map((w) => w.page.parentId);
    const pageParams = ({ page, index }: Indexed): SqlParam[] => [-1 - index, page.parentId, bytes(page.startAfter), limit];
    let statement: SqlStatement;
    if (other.length === 0) {
      const sent = preparedKeys(wholeIds, NO_PAGE.parentId);
      statement = { sql: this.#wholeMember(sent.keys.length), params: [...sent.keys, cap], prepared: sent.prepared };
    } else if (whole.length === 0) {
      const sent = lockClause === '' ? preparedKeys(other, { page: NO_PAGE, index: pages.length }) : { keys: other, prepared: false };
      statement = { sql: this.#pageMembers(sent.keys.length) + lockClause, params: sent.keys.flatMap(pageParams), prepared: sent.prepared };
    } else {
      statement = {
        sql: [`(${this.#wholeMember(whole.length)})`, ...other.map(() => `(${this.#page})`)].join(' UNION ALL '),
        params: [...wholeIds, cap, ...other.flatMap(pageParams)],
        prepared: false,
      };
    }
    return sqlQuery(statement, (result) => sortPages(pages.length, whole, rowsOf(result), limit, cap, toEntry));
  }
}

/** A page and where it stands in the pages asked. */
interface Indexed {
  readonly page: ChildPage;
  readonly index: number;
}

/** Each row to its page; whole pages trimmed to `limit`, and those the cap may have cut made undefined. */
function sortPages<T>(count: number, whole: readonly Indexed[], rows: readonly SqlRow[], limit: number, cap: number, toEntry: (r: SqlRow) => T): (T[] | undefined)[] {
  const out: (T[] | undefined)[] = Array.from({ length: count }, () => []);
  const wholeOf = new Map<number, T[]>();
  for (const w of whole) wholeOf.set(w.page.parentId, []);
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
  for (const { page, index } of whole) {
    const entries = wholeOf.get(page.parentId) as T[];
    out[index] = cut && page.parentId >= lastWholeParent && entries.length < limit ? undefined : entries;
  }
  return out;
}
