import type { LocalMutation, LocalQuery } from '../../namenode/dal/query';
import type { MemoryTable } from './memory-table';
import type { MemoryTables } from './memory-tables';
import { UndoLog } from './undo-log';

export const localQuery = <T>(evaluate: () => T): LocalQuery<T> => ({ kind: 'local', evaluate });

/** One statement: all of its row changes or none; answers the rows it changed. */
export function localMutation(write: (log: UndoLog) => number): LocalMutation {
  return {
    kind: 'local',
    apply: () => {
      const log = new UndoLog();
      try {
        const affected = write(log);
        return { affected, undo: () => log.undoAll() };
      } catch (e) {
        log.undoAll();
        throw e;
      }
    },
  };
}

/** A query that writes (the retry-cache claim, a counter bump): a transaction that ran it undoes it on rollback. */
export function writingQuery<T>(tables: MemoryTables, write: (log: UndoLog) => T): LocalQuery<T> {
  return localQuery(() => {
    const log = new UndoLog();
    try {
      const result = write(log);
      tables.journal(log);
      return result;
    } catch (e) {
      log.undoAll();
      throw e;
    }
  });
}

/** The values of an IN list, which SQL cannot send empty: failing here keeps the fake as strict as the database. */
export function inList<T>(items: readonly T[], what: string): Set<T> {
  if (items.length === 0) throw new Error(`${what}: an empty IN list is not valid SQL`);
  return new Set(items);
}

export function insertRow<R>(table: MemoryTable<R>, row: R, log: UndoLog): number {
  log.add(table.insert(row));
  return 1;
}

/** DELETE … WHERE [LIMIT]: answers the rows deleted. */
/** INSERT IGNORE: rows whose primary key is taken are skipped; answers how many went in. */
export function insertIgnoreRows<R extends object>(table: MemoryTable<R>, rows: readonly R[], log: UndoLog): number {
  const fresh = rows.filter((r) => table.get(table.keyOf(r)) === undefined);
  for (const r of fresh) insertRow(table, { ...r }, log);
  return fresh.length;
}

export function deleteWhere<R>(table: MemoryTable<R>, where: (row: R) => boolean, log: UndoLog, limit = Infinity): number {
  const doomed = table.rows().filter(where).slice(0, limit);
  for (const row of doomed) {
    const undo = table.delete(table.keyOf(row));
    if (undo) log.add(undo);
  }
  return doomed.length;
}

/** UPDATE … WHERE: answers the rows matched, as mysql2 reports them (it connects with CLIENT_FOUND_ROWS). */
export function updateWhere<R>(table: MemoryTable<R>, where: (row: R) => boolean, change: (row: R) => R, log: UndoLog): number {
  const matched = table.rows().filter(where);
  for (const row of matched) {
    const undo = table.replace(table.keyOf(row), change(row));
    if (undo) log.add(undo);
  }
  return matched.length;
}

/** UPDATE … WHERE that changes the primary key: the rows move to their new keys. */
export function rekeyWhere<R>(table: MemoryTable<R>, where: (row: R) => boolean, change: (row: R) => R, log: UndoLog): number {
  const moving = table.rows().filter(where);
  deleteWhere(table, (r) => moving.includes(r), log);
  for (const row of moving) insertRow(table, change(row), log);
  return moving.length;
}

const sameValue = (a: unknown, b: unknown): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);

const sameRow = <R>(a: R, b: R): boolean => {
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

/**
 * INSERT … ON DUPLICATE KEY UPDATE: answers 1 for a new row, 2 for a
 * changed one and 1 for an unchanged one (CLIENT_FOUND_ROWS).
 */
export function upsertRow<R>(table: MemoryTable<R>, row: R, onDuplicate: (old: R) => R, log: UndoLog): number {
  const key = table.keyOf(row);
  const old = table.get(key);
  if (old === undefined) return insertRow(table, row, log);
  const updated = onDuplicate(old);
  if (sameRow(old, updated)) return 1;
  const undo = table.replace(key, updated);
  if (undo) log.add(undo);
  return 2;
}
