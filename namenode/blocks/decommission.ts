import { DatanodeState, type DatanodeInfo } from '../domain/datanode-info';
import { fileNotFound, ioError } from '../errors';
import type { OpContext } from '../tx/op-context';

/** The datanode an operator names: its uuid, or HOST:PORT with its host name or IP address and its data transfer port. */
export function findDatanode(all: readonly DatanodeInfo[], name: string): DatanodeInfo {
  const found = all.find((d) => d.uuid === name || name === `${d.ipAddr}:${d.xferPort}` || name === `${d.hostName}:${d.xferPort}`);
  if (!found) throw fileNotFound(`datanode ${name} is not registered (name it by uuid or HOST:XFERPORT)`);
  return found;
}

/**
 * Starts decommissioning (HDFS's DatanodeAdminManager.startDecommission):
 * the datanode goes Decommissioning and every block it holds is queued, so
 * the leader's replication monitor copies it to in-service datanodes (its
 * copies count for nothing there, and placement skips it); the
 * decommission monitor calls it Decommissioned once no block lacks copies
 * elsewhere. Nothing happens to one already on its way out. A datanode
 * declared dead has had its blocks re-replicated already: refused.
 */
export function startDecommission(ctx: OpContext, uuid: string): Promise<void> {
  const { datanodes } = ctx.dal;
  return ctx.runner.transaction('decommissionDatanode', async (tx) => {
    const row = await tx.run(datanodes.lockByPk(uuid));
    if (!row) throw fileNotFound(`datanode ${uuid} is not registered`);
    if (row.state === DatanodeState.Dead) throw ioError(`datanode ${uuid} was declared dead: its blocks are re-replicated already`);
    if (row.state !== DatanodeState.Normal) return;
    tx.changes.add(datanodes.setStateByPk(uuid, [DatanodeState.Normal], DatanodeState.Decommissioning), datanodes.queueReplicasOf(uuid, tx.now));
  });
}

/**
 * Back in service (HDFS's stopDecommission): Normal again, and its blocks
 * queued so copies made meanwhile beyond the replication are deleted.
 */
export function stopDecommission(ctx: OpContext, uuid: string): Promise<void> {
  const { datanodes } = ctx.dal;
  const retiring = [DatanodeState.Decommissioning, DatanodeState.Decommissioned];
  return ctx.runner.transaction('recommissionDatanode', async (tx) => {
    const row = await tx.run(datanodes.lockByPk(uuid));
    if (!row) throw fileNotFound(`datanode ${uuid} is not registered`);
    if (!retiring.includes(row.state)) return;
    tx.changes.add(datanodes.setStateByPk(uuid, retiring, DatanodeState.Normal), datanodes.queueReplicasOf(uuid, tx.now));
  });
}
