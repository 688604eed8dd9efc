import { NAMESPACE_IDENTITY_SQL, toNamespaceIdentity } from '../../../schema/namespace-rows';
import type { LockMode } from '../inode-repository';
import type { NamespaceRepository } from '../namespace-repository';
import { sqlMutation, sqlQuery } from '../query';
import { ROOT_ROW } from './root-row-sql';
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
    sqlQuery({ sql: `SELECT safe_mode_entered_at FROM inodes WHERE ${ROOT_ROW}${lockClause(lock)}`, params: [] }, (r) => {
      const at = firstRow(r)?.['safe_mode_entered_at'];
      return at === null || at === undefined ? null : num(at);
    }),
  enterSafeMode: (now) =>
    sqlMutation({ sql: `UPDATE inodes SET safe_mode_entered_at = COALESCE(safe_mode_entered_at, ?) WHERE ${ROOT_ROW}`, params: [now] }),
  leaveSafeMode: () => sqlMutation({ sql: `UPDATE inodes SET safe_mode_entered_at = NULL WHERE ${ROOT_ROW}`, params: [] }),
};
