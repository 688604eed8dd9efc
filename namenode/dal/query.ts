import type { SqlStatement } from './sql/sql-session';

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
  /** One or more statements sent back to back; `decode` gets one result per statement. */
  readonly statements: readonly SqlStatement[];
  readonly decode: (results: readonly unknown[]) => T;
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

export const sqlMutation = (statement: SqlStatement, invalidates?: readonly string[]): SqlMutation =>
  invalidates ? { kind: 'sql', statement, invalidates } : { kind: 'sql', statement };

/** The cache tokens of the rows these mutations change, deduplicated. */
export const invalidatedBy = (mutations: readonly Mutation[]): string[] => [...new Set(mutations.flatMap((m) => (m.kind === 'sql' ? (m.invalidates ?? []) : [])))];

/** Identifies a SQL query by its statements and parameters (the in-memory form has no identity). */
export const queryKey = (q: Query<unknown>): string | undefined => (q.kind === 'sql' ? JSON.stringify(q.statements) : undefined);
