import { renewLeaseByPk } from '../dal/lease-dal';
import type { OpContext } from './op-context';

/** Renews every lease the client holds; a client holding none is not an error. */
export async function renewLease(ctx: OpContext, clientName: string): Promise<void> {
  await ctx.runner.read('renewLease', (r) => r.query(renewLeaseByPk(clientName, Date.now())));
}
