import { rowsOf, type SqlRow } from './sql-session';

/** Column value decoders shared by the SQL repositories (mysql2 answers VARBINARY as Buffer, DECIMAL sums as strings). */
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
export const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));
export const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Decodes every row of a result set. */
export const rowsWith =
  <T>(decode: (r: SqlRow) => T) =>
  (result: unknown): T[] =>
    rowsOf(result).map(decode);

export const firstRow = (result: unknown): SqlRow | undefined => rowsOf(result)[0];

/** `?` placeholders for an IN list. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');
