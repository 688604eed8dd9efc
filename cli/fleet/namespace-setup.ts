import type { Engine } from '../../schema/engine';
import { formatNamespace, type FormatResult } from '../../schema/format';
import { createMysqlConnection, type MysqlConfig } from '../../schema/mysql-config';

export interface NamespaceSetup {
  readonly engine: Engine;
  readonly superuser: string;
  readonly supergroup: string;
  readonly clusterId?: string;
}

/** Creates or upgrades the namespace in `config`'s database; refusals surface as SchemaError. */
export async function ensureNamespace(config: MysqlConfig, setup: NamespaceSetup): Promise<FormatResult> {
  const conn = await createMysqlConnection(config);
  try {
    return await formatNamespace(conn, setup);
  } finally {
    await conn.end();
  }
}

/** One line for humans and scripts: what the database holds now and what this call changed. */
export function describeFormat(result: FormatResult): string {
  const ns = result.namespace;
  const what = result.created ? 'created' : 'found';
  const migrated = result.migrated.length ? ` migrations=${result.migrated.join(',')}` : '';
  return `namespace ${what} cluster=${ns.clusterId} namespaceId=${ns.namespaceId} blockPool=${ns.blockPoolId}${migrated}`;
}
