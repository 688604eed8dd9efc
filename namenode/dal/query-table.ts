import type { Query } from './query';
import type { SqlParam, SqlStatement } from './sql/sql-session';

/**
 * Values by query, where two queries are the same when they send the same
 * statements with the same params (a read a write declared for its lock
 * round trip, and the same read its execute phase makes). Keyed by the
 * first statement's text, mostly a constant whose hash V8 keeps, then the
 * params compared one by one. (The key was the statements' text with the
 * params formatted in, built for every lookup: 1.7 % of a namenode's CPU
 * under creates, in string building and hashing.) In-memory queries have
 * no identity and are never found.
 */
export class QueryTable<V> {
  readonly #bySql = new Map<string, { readonly query: Query<unknown>; value: V }[]>();

  get size(): number {
    let n = 0;
    for (const entries of this.#bySql.values()) n += entries.length;
    return n;
  }

  /** The entry of a query that sends what `q` sends, if any. */
  find(q: Query<unknown>): { readonly query: Query<unknown>; value: V } | undefined {
    const sql = firstSql(q);
    if (sql === undefined) return undefined;
    const entries = this.#bySql.get(sql);
    if (entries === undefined) return undefined;
    for (const e of entries) if (sameQuery(e.query, q)) return e;
    return undefined;
  }

  /**
   * The value kept for `q`: an equal query's when there is one, else
   * `value`, now kept for it (an in-memory query is never kept).
   */
  keep(q: Query<unknown>, value: V): V {
    const sql = firstSql(q);
    if (sql === undefined) return value;
    const entries = this.#bySql.get(sql);
    if (entries === undefined) {
      this.#bySql.set(sql, [{ query: q, value }]);
      return value;
    }
    for (const e of entries) if (sameQuery(e.query, q)) return e.value;
    entries.push({ query: q, value });
    return value;
  }

  /** Takes out the entry of a query that sends what `q` sends, answering it. */
  take(q: Query<unknown>): { readonly query: Query<unknown>; value: V } | undefined {
    const found = this.find(q);
    if (found === undefined) return undefined;
    const entries = this.#bySql.get(firstSql(q) as string) as { readonly query: Query<unknown>; value: V }[];
    entries.splice(entries.indexOf(found), 1);
    return found;
  }
}

const firstSql = (q: Query<unknown>): string | undefined => (q.kind === 'sql' ? q.statements[0]?.sql : undefined);

/** Whether two queries send the same statements with the same params. */
export function sameQuery(a: Query<unknown>, b: Query<unknown>): boolean {
  if (a.kind !== 'sql' || b.kind !== 'sql') return false;
  if (a === b) return true;
  if (a.statements.length !== b.statements.length) return false;
  for (let i = 0; i < a.statements.length; i++) if (!sameStatement(a.statements[i] as SqlStatement, b.statements[i] as SqlStatement)) return false;
  return true;
}

function sameStatement(a: SqlStatement, b: SqlStatement): boolean {
  if (a.sql !== b.sql || a.params.length !== b.params.length) return false;
  for (let i = 0; i < a.params.length; i++) if (!sameParam(a.params[i] as SqlParam, b.params[i] as SqlParam)) return false;
  return true;
}

const sameParam = (a: SqlParam, b: SqlParam): boolean => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
