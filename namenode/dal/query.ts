import type { SqlParam, SqlStatement } from './sql/sql-session';
import { placeholders } from './sql/sql-values';

/**
 * A read or a locking read, as a repository builds it: the statements to
 * send and the decoder that turns their result sets into entities. Callers
 * hold a `Query<Entity>` and get an `Entity` back from a `DbSession`; they
 * never see a column name or a result-set position. A `local` query is the
 * in-memory form the unit tests' fake repositories produce.
 */
export type Query<T> = SqlQuery<T> | LocalQuery<T>;

export interface SqlQuery<T> {
  readonly kind: 'sql';
  /** Set on a read of one row set by id that reads of other ids may join (a group commit's declared reads). */
  readonly batch?: QueryBatch<T>;
  /** One or more statements sent back to back; `decode` gets one result per statement. */
  readonly statements: readonly SqlStatement[];
  readonly decode: (results: readonly unknown[]) => T;
}

/**
 * How reads of one shape for different ids join: `many(ids)` reads them
 * all in one statement and answers each id's result (what the read of that
 * id alone would have).
 */
export interface QueryBatch<T> {
  /** Reads with the same key join. */
  readonly key: string;
  readonly id: number;
  readonly many: (ids: readonly number[]) => Query<(id: number) => T>;
}

export interface LocalQuery<T> {
  readonly kind: 'local';
  readonly evaluate: () => T;
}

/**
 * A write as a repository builds it. Writes are collected by a transaction's
 * change set and sent together with its COMMIT. The `local` form returns an
 * undo so an in-memory transaction can roll back.
 */
export type Mutation = SqlMutation | LocalMutation;

export interface SqlMutation {
  readonly kind: 'sql';
  readonly statement: SqlStatement;
  /** Cache tokens of the `inodes` rows it changes (inode-row.ts idToken/keyToken): what a coherent cache must forget. */
  readonly invalidates?: readonly string[];
  /** Set on a multi-row INSERT whose rows may join others of the same shape in one statement (coalesceMutations). */
  readonly rows?: RowsStatement;
  /**
   * Set on a change of one row that later changes of the same row may join
   * (coalesceMutations): `join` makes the one statement of them all.
   * `removes`: it deletes rows, so it keeps its order with every other write
   * of its table, as a `rows` delete does.
   */
  readonly sameRow?: { readonly table: string; readonly key: string; readonly removes?: boolean; join(all: readonly SqlMutation[]): SqlMutation };
  /**
   * A statement sent right after this one (nothing between them), that
   * fails the transaction when this one did not do what it must: a touch
   * of a directory read without a lock that matched no row, because the
   * directory was deleted meanwhile (InodeRepository.touchDirectory).
   */
  readonly guard?: SqlStatement;
}

/**
 * A multi-row INSERT in parts: the statement is `head + rows + tail`, and
 * the rows of several statements with the same head, separator and tail
 * join as `head + rows1 + separator + rows2 + tail` (params in the same
 * order). `into` is the table it writes. A DELETE of a list of keys has
 * the same parts (`removes`).
 */
export interface RowsStatement {
  readonly into: string;
  /**
   * A DELETE of the rows its list names. Its order against the other
   * writes of its table matters (a file's block rows deleted, then
   * inserted again): it joins others of its shape only past statements that
   * do not name its table, and nothing of its table joins past it.
   */
  readonly removes?: boolean;
  readonly head: string;
  readonly rows: string;
  readonly separator: string;
  readonly tail: string;
  /**
   * The rows' params, when the mutation's own statement is another one
   * (an UPDATE of one row that joins others as a multi-row upsert); by
   * default the statement's.
   */
  readonly params?: readonly SqlParam[];
}

export interface LocalMutation {
  readonly kind: 'local';
  /** Applies the change; answers the rows it changed and how to take it back. */
  readonly apply: () => { readonly affected: number; readonly undo: () => void };
}

export type QueryResults<Q extends readonly Query<unknown>[]> = { -readonly [K in keyof Q]: Q[K] extends Query<infer T> ? T : never };

export const sqlQuery = <T>(statement: SqlStatement, decode: (result: unknown) => T): SqlQuery<T> => ({
  kind: 'sql',
  statements: [statement],
  decode: (results) => decode(results[0]),
});

/**
 * Every SQL mutation is built here, with all its fields in one order
 * (absent ones undefined), and so are its row parts and same-row joins. A
 * transaction's writes pass through the same loads (coalesceMutations, the
 * change set, the cache's tokens, the group commit): objects of one shape
 * keep those loads monomorphic. Built by spreads and optional keys, they
 * came in a dozen shapes, and the loads went megamorphic and missed V8's
 * stub cache ~70 times per create + complete (`--log-ic`, stop 53).
 */
export const sqlMutation = (
  statement: SqlStatement,
  invalidates?: readonly string[],
  rows?: RowsStatement,
  sameRow?: SqlMutation['sameRow'],
  guard?: SqlStatement,
): SqlMutation => ({
  kind: 'sql',
  statement,
  invalidates,
  rows: rows === undefined ? undefined : withRows(rows, rows.rows, rows.params),
  sameRow: sameRow === undefined ? undefined : { table: sameRow.table, key: sameRow.key, removes: sameRow.removes, join: sameRow.join },
  guard,
});

/** `m` with other row parts, a same-row join or a guard (the rest kept). */
export const withParts = (m: SqlMutation, parts: { readonly rows?: RowsStatement; readonly sameRow?: SqlMutation['sameRow']; readonly guard?: SqlStatement }): SqlMutation =>
  sqlMutation(m.statement, m.invalidates, parts.rows ?? m.rows, parts.sameRow ?? m.sameRow, parts.guard ?? m.guard);

/**
 * Row parts in their one shape (see sqlMutation): a repository makes each
 * statement's parts once, as a module constant, and varies a use's rows
 * and params with withRows. This reads parts of any shape, so it is kept
 * off the hot path (its loads see every shape).
 */
export const rowShape = (p: RowsStatement): RowsStatement => ({
  into: p.into,
  removes: p.removes === true,
  head: p.head,
  rows: p.rows,
  separator: p.separator,
  tail: p.tail,
  params: p.params,
});

/** Parts of one shape (rowShape) with other rows (and the rows' own params). */
export const withRows = (p: RowsStatement, rows: string, params?: readonly SqlParam[]): RowsStatement => ({
  into: p.into,
  removes: p.removes === true,
  head: p.head,
  rows,
  separator: p.separator,
  tail: p.tail,
  params,
});

/** `DELETE FROM table WHERE column IN (ids)`, joinable with the other such deletes of a transaction (a group commit's members). */
export const sqlDeleteIn = (table: string, column: string, ids: readonly number[], invalidates?: readonly string[]): SqlMutation =>
  sqlRowsMutation(
    // The key order of rowShape's: one shape for every row parts.
    { into: table, removes: true, head: `DELETE FROM ${table} WHERE ${column} IN (`, rows: placeholders(ids.length), separator: ',', tail: ')', params: undefined },
    [...ids],
    invalidates,
  );

/** A multi-row INSERT that coalesceMutations may join with others of its shape. */
export const sqlRowsMutation = (parts: RowsStatement, params: readonly SqlParam[], invalidates?: readonly string[]): SqlMutation =>
  sqlMutation({ sql: parts.head + parts.rows + parts.tail, params }, invalidates, parts);

/** The table a joinable mutation writes; undefined when it joins nothing. */
const joinTable = (m: SqlMutation): string | undefined => m.rows?.into ?? m.sameRow?.table;

const removes = (m: SqlMutation): boolean => m.rows?.removes === true || m.sameRow?.removes === true;

/** Whether `m` joins the group `first` opened: INSERTs of one shape, or changes of one row. */
function joinsWith(first: SqlMutation, m: SqlMutation): boolean {
  const a = first.rows;
  const b = m.rows;
  if (a || b) return a !== undefined && b !== undefined && a.head === b.head && a.separator === b.separator && a.tail === b.tail && a.removes === b.removes;
  return first.sameRow !== undefined && m.sameRow !== undefined && first.sameRow.table === m.sameRow.table && first.sameRow.key === m.sameRow.key;
}

const tablePatterns = new Map<string, RegExp>();

/** Whether a statement names the table (as a whole word: `leases` is not in `lease_paths`). */
function mentions(sql: string, table: string): boolean {
  let pattern = tablePatterns.get(table);
  if (!pattern) tablePatterns.set(table, (pattern = new RegExp(`\\b${table}\\b`)));
  return pattern.test(sql);
}

/**
 * Joins the multi-row INSERTs of one shape into one statement, and the
 * changes of one row into one, where the first of them stands: a
 * transaction's writes (a group commit's members) in fewer statements. A
 * later one moves up only past joinable ones and statements that do not
 * name its table, so no statement sees its table in another state than it
 * would have; any other write of the table, or a local one, is a barrier.
 * The open groups are few (one per shape and row), so a scan comparing
 * the shapes' constant strings beats building a key per mutation.
 */
export function coalesceMutations(mutations: readonly Mutation[]): Mutation[] {
  const out: (Mutation | { readonly joined: SqlMutation[] })[] = [];
  let open: { readonly table: string; readonly joined: SqlMutation[] }[] = [];
  for (const m of mutations) {
    if (m.kind !== 'sql') {
      open = [];
      out.push(m);
      continue;
    }
    const table = joinTable(m);
    if (table === undefined) {
      if (open.length > 0) open = open.filter((g) => !mentions(m.statement.sql, g.table));
      out.push(m);
      continue;
    }
    // A delete and another write of its table keep their order: neither joins a group past the other.
    if (open.length > 0) open = open.filter((g) => g.table !== table || !(removes(g.joined[0] as SqlMutation) || removes(m)) || joinsWith(g.joined[0] as SqlMutation, m));
    const group = open.find((g) => joinsWith(g.joined[0] as SqlMutation, m));
    if (group) {
      group.joined.push(m);
      continue;
    }
    const fresh = { table, joined: [m] };
    open.push(fresh);
    out.push(fresh);
  }
  return out.map((o) => ('joined' in o ? join(o.joined) : o));
}

function join(joined: readonly SqlMutation[]): SqlMutation {
  const first = joined[0] as SqlMutation;
  if (joined.length === 1) return first;
  return first.sameRow ? first.sameRow.join(joined) : joinRows(joined);
}

function joinRows(joined: readonly SqlMutation[]): SqlMutation {
  const parts = (joined[0] as SqlMutation).rows as RowsStatement;
  const rows = joined.map((m) => (m.rows as RowsStatement).rows).join(parts.separator);
  const tokens = [...new Set(joined.flatMap((m) => m.invalidates ?? []))];
  return sqlRowsMutation(
    withRows(parts, rows),
    joined.flatMap((m) => m.rows?.params ?? m.statement.params),
    tokens.length > 0 ? tokens : undefined,
  );
}

/** The cache tokens of the rows these mutations change, deduplicated. */
export const invalidatedBy = (mutations: readonly Mutation[]): string[] => [...new Set(mutations.flatMap((m) => (m.kind === 'sql' ? (m.invalidates ?? []) : [])))];
