import type { LocalMutation, Mutation, Query } from '../../namenode/dal/query';

export function evaluate(q: Query<unknown>): unknown {
  if (q.kind !== 'local') throw new Error('a SQL query was sent to the in-memory database');
  return q.evaluate();
}

export function apply(m: Mutation): ReturnType<LocalMutation['apply']> {
  if (m.kind !== 'local') throw new Error('a SQL mutation was sent to the in-memory database');
  return m.apply();
}
