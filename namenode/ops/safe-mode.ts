import type { SafeModeAction } from '../domain/safe-mode-action';
import type { Caller } from '../security/caller';
import { requireSuperuser } from '../security/superuser';
import type { OpContext } from '../tx/op-context';

/**
 * FSNamesystem.setSafeMode for the whole fleet: the state is a column of
 * the root inode's row (every path write locks it), so every namenode refuses mutations from the
 * moment an administrator turns it on at any one of them, whichever leads.
 * Answers whether safe mode is on afterwards.
 */
export async function setSafeMode(ctx: OpContext, caller: Caller, action: SafeModeAction): Promise<boolean> {
  if (action === 'get') return safeModeOn(ctx);
  requireSuperuser(caller);
  const turnOn = action === 'enter';
  await ctx.runner.mutate('setSafeMode', [turnOn ? ctx.dal.namespace.enterSafeMode(Date.now()) : ctx.dal.namespace.leaveSafeMode()]);
  return turnOn;
}

/** Whether the fleet is in safe mode now. */
export async function safeModeOn(ctx: OpContext): Promise<boolean> {
  return (await ctx.runner.query('setSafeMode', ctx.dal.namespace.findSafeMode('none'))) !== null;
}
