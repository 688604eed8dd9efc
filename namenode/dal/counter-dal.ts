import type { SqlStatement } from './sql-session';

/**
 * Reserves `size` values of a counter in one round trip: the UPDATE moves
 * the counter and parks the new value in LAST_INSERT_ID, the SELECT reads it
 * back on the same connection. The reserved range is (value - size, value].
 */
export const reserveRangeByPk = (name: string, size: number): SqlStatement[] => [
  { sql: 'UPDATE counters SET value = LAST_INSERT_ID(value + ?) WHERE name = ?', params: [size, name] },
  { sql: 'SELECT LAST_INSERT_ID() AS value', params: [] },
];
