import { NAMESPACE_IDENTITY_SQL, toNamespaceIdentity } from '../../../schema/namespace-rows';
import type { LockMode } from '../inode-repository';
import type { NamespaceRepository } from '../namespace-repository';
import { sqlMutation, sqlQuery } from '../query';
import { firstRow, num } from './sql-values';

const lockClause = (lock: LockMode): string => (lock === 'shared' ? ' LOCK IN SHARE MODE' : lock === 'exclusive' ? ' FOR UPDATE' : '');

/** The same statement `nnfleet format` checks with: one definition in schema/. */
export const sqlNamespace: NamespaceRepository = {
  findIdentity: () =>
    sqlQuery({ sql: NAMESPACE_IDENTITY_SQL, params: [] }, (r) => {
      const row = firstRow(r);
      return row ? toNamespaceIdentity(row) : undefined;
    }),
  findSafeMode: (lock) =>
    sqlQuery({ sql: `SELECT safe_mode_entered_at FROM namespace_info WHERE id = 1${lockClause(lock)}`, params: [] }, (r) => {
      const at = firstRow(r)?.['safe_mode_entered_at'];
      return at === null || at === undefined ? null : num(at);
    }),
  enterSafeMode: (now) =>
    sqlMutation({ sql: 'UPDATE namespace_info SET safe_mode_entered_at = COALESCE(safe_mode_entered_at, ?) WHERE id = 1', params: [now] }),
  leaveSafeMode: () => sqlMutation({ sql: 'UPDATE namespace_info SET safe_mode_entered_at = NULL WHERE id = 1', params: [] }),
};
