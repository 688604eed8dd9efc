import type { CounterRepository } from '../../namenode/dal/counter-repository';
import { COUNTER_GENERATION_STAMP } from '../../schema/counters';
import type { MemoryTables } from './memory-tables';
import type { UndoLog } from './undo-log';
import { writingQuery } from './local-statements';

/**
 * `UPDATE counters SET value = LAST_INSERT_ID(f(value))` then `SELECT
 * LAST_INSERT_ID()`: answers the new value; a missing row fails as the SQL
 * decoder does.
 */
export function bumpCounter(t: MemoryTables, name: string, next: (value: number) => number, log: UndoLog): number {
  const row = t.counters.get(name);
  if (!row) throw new Error(`counter ${name} is missing`);
  const value = next(row.value);
  const undo = t.counters.replace(name, { name, value });
  if (undo) log.add(undo);
  return value;
}

export const memoryCounters = (t: MemoryTables): CounterRepository => ({
  reserveRange: (name, size) => writingQuery(t, (log) => bumpCounter(t, name, (v) => v + size, log)),
  nextGenerationStamp: (above) => writingQuery(t, (log) => bumpCounter(t, COUNTER_GENERATION_STAMP, (v) => Math.max(v, above) + 1, log)),
});
