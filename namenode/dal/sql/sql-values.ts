import { rowsOf, type SqlRow } from './sql-session';

/** Column value decoders shared by the SQL repositories (mysql2 answers VARBINARY as Buffer, DECIMAL sums as strings). */
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
export const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));
export const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
/** A VARBINARY column's value as a Buffer, null for NULL. */
export const nullableBytes = (v: unknown): Buffer | null => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));

/** Decodes every row of a result set. */
export const rowsWith =
  <T>(decode: (r: SqlRow) => T) =>
  (result: unknown): T[] =>
    rowsOf(result).map(decode);

export const firstRow = (result: unknown): SqlRow | undefined => rowsOf(result)[0];

/** `?` placeholders for an IN list. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/**
 * A statement text by the length of its key list, built once per length:
 * the lookup flights send one per batch, and their lengths are the few
 * prepared ones below. Longer lists (sent as text) are kept while there
 * are fewer than 64 texts.
 */
export function textsByLength(build: (n: number) => string): (n: number) => string {
  const texts = new Map<number, string>();
  return (n) => {
    let text = texts.get(n);
    if (text === undefined) {
      text = build(n);
      if (texts.size < 64) texts.set(n, text);
    }
    return text;
  };
}

/**
 * The lengths a key list of a prepared statement is padded to (its last
 * key repeated: an OR or IN of the same key twice finds its row once), so
 * that the texts the server prepares stay few: each connection keeps up to
 * 48 of them (schema/mysql-config.ts), and the server caps them all
 * (max_prepared_stmt_count, 16382 by default) across every namenode.
 */
const PREPARED_LENGTHS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];

/**
 * The list padded to a prepared length with `filler` (by default its last
 * key again), and whether it was: a longer list goes as text.
 */
export function preparedKeys<K>(keys: readonly K[], filler?: K): { keys: readonly K[]; prepared: boolean } {
  const n = preparedLength(keys.length);
  if (n === undefined) return { keys, prepared: false };
  if (n === keys.length) return { keys, prepared: true };
  const pad = filler ?? (keys[keys.length - 1] as K);
  return { keys: [...keys, ...Array.from({ length: n - keys.length }, () => pad)], prepared: true };
}

/** The prepared length a list of `count` keys is padded to; undefined for an empty list or one too long to prepare. */
export function preparedLength(count: number): number | undefined {
  if (count === 0) return undefined;
  for (const l of PREPARED_LENGTHS) if (l >= count) return l;
  return undefined;
}
