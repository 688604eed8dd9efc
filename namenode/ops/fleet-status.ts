import type { NamenodeMember, NamespaceTotals } from '../domain/fleet-status';
import type { OpContext } from '../tx/op-context';

/** Files, directories, symlinks and blocks of the whole namespace (table scans; the web UI caches them). */
export function namespaceTotals(ctx: OpContext): Promise<NamespaceTotals> {
  return ctx.runner.query('namespaceTotals', ctx.dal.stats.countNamespace());
}

/** Replicas per datanode uuid. */
export function replicasPerDatanode(ctx: OpContext): Promise<ReadonlyMap<string, number>> {
  return ctx.runner.query('replicasPerDatanode', ctx.dal.stats.countReplicasByDatanode());
}

/**
 * The namenodes alive by the leader election's own rule (a heartbeat within
 * 3 housekeeping intervals), lowest id first: the first one leads.
 */
export function fleetNamenodes(ctx: OpContext): Promise<NamenodeMember[]> {
  return ctx.runner.query('fleetNamenodes', ctx.dal.namenodes.findLiveMembers(3 * ctx.config.housekeepingIntervalMs));
}

/** The schema migration the database is at. */
export function schemaVersion(ctx: OpContext): Promise<number> {
  return ctx.runner.query('schemaVersion', ctx.dal.stats.findSchemaVersion());
}

/** How long ago the newest block-token key became active (undefined when there is none, e.g. block tokens off). */
export async function blockKeyAge(ctx: OpContext, now: number): Promise<number | undefined> {
  const keys = await ctx.runner.query('blockKeys', ctx.dal.security.findBlockKeys());
  const active = keys.filter((k) => k.activatesAt <= now);
  if (active.length === 0) return undefined;
  return now - Math.max(...active.map((k) => k.activatesAt));
}
