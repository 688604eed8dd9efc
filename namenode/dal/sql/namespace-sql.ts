import { NAMESPACE_IDENTITY_SQL, toNamespaceIdentity } from '../../../schema/namespace-rows';
import type { NamespaceRepository } from '../namespace-repository';
import { sqlQuery } from '../query';
import { firstRow } from './sql-values';

/** The same statement `nnfleet format` checks with: one definition in schema/. */
export const sqlNamespace: NamespaceRepository = {
  findIdentity: () =>
    sqlQuery({ sql: NAMESPACE_IDENTITY_SQL, params: [] }, (r) => {
      const row = firstRow(r);
      return row ? toNamespaceIdentity(row) : undefined;
    }),
};
