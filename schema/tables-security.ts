import type { TableDef } from './table-def';

/**
 * The fleet's membership secret (schema version 4): one row made at format.
 * Datanodes prove they hold it on every DatanodeProtocol connection.
 */
export const membershipSecret: TableDef = {
  name: 'membership_secret',
  columns: [
    { name: 'id', type: { kind: 'tinyint', unsigned: true } },
    { name: 'secret', type: { kind: 'varbinary', length: 64 } },
    { name: 'created_at', type: { kind: 'bigint' } },
  ],
  primaryKey: ['id'],
};

/**
 * Block access token keys (schema version 5), made and rolled by the leader
 * so every namenode signs with the same current key and every datanode can
 * verify with the keys it was handed.
 */
export const blockKeys: TableDef = {
  name: 'block_keys',
  columns: [
    { name: 'key_id', type: { kind: 'int' } },
    /** Epoch ms from which namenodes sign with it; a key is handed out an interval ahead. */
    { name: 'activates_at', type: { kind: 'bigint' } },
    /** Epoch ms after which it verifies nothing (and is deleted). */
    { name: 'expires_at', type: { kind: 'bigint' } },
    { name: 'secret', type: { kind: 'varbinary', length: 64 } },
  ],
  primaryKey: ['key_id'],
};

export const tablesV4: readonly TableDef[] = [membershipSecret];
export const tablesV5: readonly TableDef[] = [blockKeys];
