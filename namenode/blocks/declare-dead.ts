import type { OpContext } from '../tx/op-context';

/**
 * Declares one datanode dead in a single transaction, under a lock of its
 * row, if it is not dead yet and silent since before `heartbeatBefore`:
 * its work is dropped and every block it held is queued for
 * re-replication. A heartbeat arriving meanwhile comes first (and nothing
 * happens) or waits and finds it dead (and registers again). True when it
 * was declared dead.
 */
export function declareDead(ctx: OpContext, op: string, uuid: string, heartbeatBefore: number): Promise<boolean> {
  const { datanodes, commands } = ctx.dal;
  return ctx.runner.transaction(op, async (tx) => {
    if (!(await tx.run(datanodes.lockExpiredByPk(uuid, heartbeatBefore)))) return false;
    tx.changes.add(datanodes.markDead(uuid, heartbeatBefore), commands.deleteByDatanode(uuid), ...datanodes.forgetDead(uuid, tx.now));
    return true;
  });
}
