import { safeModeRefusal } from '../tx/safe-mode';
import type { OpContext } from '../tx/op-context';

/**
 * Renews every lease the client holds; a client holding none is not an
 * error. Refused in safe mode, as HDFS: the renewal is conditional on the
 * safe mode (the root's row), and only when it changed nothing (no lease, or safe mode)
 * does a second read tell the two apart.
 */
export async function renewLease(ctx: OpContext, clientName: string): Promise<void> {
  const [renewed] = await ctx.runner.mutate('renewLease', [ctx.dal.leases.renewUnlessSafeMode(clientName, Date.now())]);
  if (renewed !== 0) return;
  if ((await ctx.runner.query('renewLease', ctx.dal.namespace.findSafeMode('none'))) !== null) throw safeModeRefusal(`renew lease for ${clientName}`);
}
