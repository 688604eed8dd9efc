import { BlockState } from '../../domain/located-blocks';
import type { DatanodeState } from '../../domain/datanode-info';
import type { ReportedBlock, ReportedBlockRows } from '../block-repository';
import { CommandKind, RECOVERY_KINDS } from '../command-repository';
import { sqlQuery } from '../query';
import { rowsOf } from './sql-session';
import { num, placeholders } from './sql-values';

/** Commands a finalized copy confirms (commands.confirmReceived): a block without any needs no confirming statement. */
const CONFIRMED_KINDS = [CommandKind.Transfer, ...RECOVERY_KINDS].join(',');

const flags = (alias: string): string =>
  `EXISTS(SELECT 1 FROM datanode_commands c WHERE c.block_id = ${alias}.block_id AND c.kind IN (${CONFIRMED_KINDS})) AS commanded,
   EXISTS(SELECT 1 FROM under_replicated u WHERE u.block_id = ${alias}.block_id) AS queued`;

/**
 * What a replica report needs to know in one statement: a UNION ALL tagged
 * by `k` of the reported blocks (0), the blocks snapshots keep after a
 * truncate (1, block_versions), each with whether a transfer or recovery
 * command names it and whether it is queued under-replicated, and the
 * reporting datanodes' states (2).
 */
export function findReportedBlockRows(blockIds: readonly number[], uuids: readonly string[]) {
  const members: string[] = [];
  const params: (number | string)[] = [];
  if (blockIds.length > 0) {
    const ids = placeholders(blockIds.length);
    members.push(
      `SELECT 0 AS k, b.inode_id, b.block_index, b.block_id, b.generation_stamp, b.num_bytes, b.state AS row_state, NULL AS uuid, ${flags('b')} FROM blocks b WHERE b.block_id IN (${ids})`,
      `SELECT 1, v.inode_id, v.block_index, v.block_id, v.generation_stamp, v.num_bytes, NULL, NULL, ${flags('v')} FROM block_versions v WHERE v.block_id IN (${ids})`,
    );
    params.push(...blockIds, ...blockIds);
  }
  if (uuids.length > 0) {
    members.push(`SELECT 2, NULL, NULL, NULL, NULL, NULL, d.state, d.uuid, 0, 0 FROM datanodes d WHERE d.uuid IN (${placeholders(uuids.length)})`);
    params.push(...uuids);
  }
  if (members.length === 0) members.push('SELECT 3 AS k FROM DUAL WHERE FALSE');
  return sqlQuery({ sql: members.map((m) => `(${m})`).join(' UNION ALL '), params }, (result): ReportedBlockRows => {
    const blocks: ReportedBlock[] = [];
    const kept: ReportedBlock[] = [];
    const registrations = new Map<string, DatanodeState>();
    for (const r of rowsOf(result)) {
      const kind = num(r['k']);
      if (kind === 2) {
        registrations.set(String(r['uuid']), num(r['row_state']) as DatanodeState);
        continue;
      }
      const block: ReportedBlock = {
        inodeId: num(r['inode_id']),
        index: num(r['block_index']),
        blockId: num(r['block_id']),
        genStamp: num(r['generation_stamp']),
        numBytes: num(r['num_bytes']),
        // A kept block is complete: its length is the snapshot's.
        state: kind === 0 ? (num(r['row_state']) as BlockState) : BlockState.Complete,
        commanded: num(r['commanded']) !== 0,
        queued: num(r['queued']) !== 0,
      };
      (kind === 0 ? blocks : kept).push(block);
    }
    return { blocks, kept, registrations };
  });
}
