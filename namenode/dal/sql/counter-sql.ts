import { COUNTER_GENERATION_STAMP } from '../../../schema/counters';
import type { CounterRepository } from '../counter-repository';
import type { SqlQuery } from '../query';
import type { SqlStatement } from './sql-session';
import { firstRow, num } from './sql-values';

/**
 * The UPDATE moves the counter and parks the new value in LAST_INSERT_ID;
 * the SELECT reads it back on the same connection, in the same round trip.
 */
function bump(update: SqlStatement, what: string): SqlQuery<number> {
  return {
    kind: 'sql',
    statements: [update, { sql: 'SELECT LAST_INSERT_ID() AS value', params: [] }],
    decode: (results) => {
      const value = num(firstRow(results[1])?.['value']);
      if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`counter ${what} is missing`);
      return value;
    },
  };
}

export const sqlCounters: CounterRepository = {
  reserveRange: (name, size) => bump({ sql: 'UPDATE counters SET value = LAST_INSERT_ID(value + ?) WHERE name = ?', params: [size, name] }, name),
  nextGenerationStamp: (above) =>
    bump(
      { sql: 'UPDATE counters SET value = LAST_INSERT_ID(GREATEST(value, ?) + 1) WHERE name = ?', params: [above, COUNTER_GENERATION_STAMP] },
      COUNTER_GENERATION_STAMP,
    ),
};

/** The next value of a counter whose row is made on first use (namenode ids, snapshot ids): 1 the first time. */
export const nextOfCounterMadeOnFirstUse = (name: string): SqlQuery<number> => ({
  kind: 'sql',
  statements: [
    { sql: 'INSERT IGNORE INTO counters (name, value) VALUES (?, 0)', params: [name] },
    { sql: 'UPDATE counters SET value = LAST_INSERT_ID(value + 1) WHERE name = ?', params: [name] },
    { sql: 'SELECT LAST_INSERT_ID() AS value', params: [] },
  ],
  decode: (results) => num(firstRow(results[2])?.['value']),
});
