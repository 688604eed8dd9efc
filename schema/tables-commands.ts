import { datanodeCommands } from './tables-blocks';
import type { TableDef } from './table-def';

const uuid = { kind: 'varchar', length: 64 } as const;
const bigint = { kind: 'bigint' } as const;
const tinyint = { kind: 'tinyint' } as const;

/**
 * Work for datanodes (schema version 6): 1 transfer (replicate), 2
 * invalidate, 3 recover, 4 recover and truncate. A command stays until the
 * datanode's reports confirm its outcome; one handed out and not confirmed
 * within the redelivery interval is handed out again (at least once; every
 * command is idempotent at the datanode).
 */
export const datanodeCommandsV6: TableDef = {
  ...datanodeCommands,
  // The targets move to command_targets, one row each.
  columns: [
    ...datanodeCommands.columns.filter((c) => c.name !== 'targets'),
    /** 0 until handed out; then when it last was. */
    { name: 'handed_out_at', type: bigint, default: 0 },
    { name: 'deliveries', type: { kind: 'int' }, default: 0 },
  ],
  indexes: [{ name: 'datanode_commands_block', columns: ['block_id', 'kind'] }],
};

/** The datanodes a command names (transfer targets, the holders of a block under recovery), one row each, in order. */
export const commandTargets: TableDef = {
  name: 'command_targets',
  columns: [
    { name: 'datanode_uuid', type: uuid },
    { name: 'block_id', type: bigint },
    { name: 'kind', type: tinyint },
    { name: 'position', type: { kind: 'smallint' } },
    { name: 'target_uuid', type: uuid },
  ],
  primaryKey: ['datanode_uuid', 'block_id', 'kind', 'position'],
  indexes: [{ name: 'command_targets_block', columns: ['block_id', 'kind'] }],
  partitionBy: ['datanode_uuid'],
};
