import { joinStatements, resultSets, rowsOf, type SqlSession } from '../dal/sql-session';

/**
 * Generation stamps must grow for a block across pipeline recoveries, and
 * namenodes hold no ranges of them, so every stamp comes straight from the
 * counter row: one autocommit round trip, never lower than `above`.
 */
export async function nextGenerationStamp(db: SqlSession, above = 0): Promise<number> {
  const stmt = joinStatements([
    { sql: "UPDATE counters SET value = LAST_INSERT_ID(GREATEST(value, ?) + 1) WHERE name = 'generation_stamp'", params: [above] },
    { sql: 'SELECT LAST_INSERT_ID() AS value', params: [] },
  ]);
  const [raw] = await db.query(stmt.sql, stmt.params);
  const value = Number(rowsOf(resultSets(raw, 2)[1])[0]?.['value']);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error('generation_stamp counter is missing');
  return value;
}
