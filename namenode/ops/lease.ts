import type { OpContext } from '../tx/op-context';

/** Renews every lease the client holds; a client holding none is not an error. */
export async function renewLease(ctx: OpContext, clientName: string): Promise<void> {
  await ctx.runner.mutate('renewLease', [ctx.dal.leases.renew(clientName, Date.now())]);
}
