import { BlockState, type LocatedBlock, type LocatedBlocks, type Location } from '../domain/located-blocks';
import { isSharedStorage } from '../domain/storage';

/** How many gateways a reader is offered for a block on shared storage (it fails over along the list). */
export const SHARED_GATEWAYS = 3;

/**
 * Whether a located block can be served by any gateway of the shared
 * storage: it has a copy there, or — its length fixed — no live copy at
 * all (the gateway that wrote it may be dead; every gateway reaches the
 * store, and one that finds nothing answers "not found", as a missing
 * block would anyway).
 */
export function wantsGateways(lb: LocatedBlock): boolean {
  if (lb.block.state !== BlockState.Complete && lb.block.state !== BlockState.Committed) return false;
  if (lb.corrupt) return false;
  return lb.locations.length === 0 || lb.locations.some((l) => isSharedStorage(l.storageType));
}

/**
 * Adds live shared-storage gateways (`live`: live storages of every kind)
 * to the blocks that want them, after the copies the rows name, in random
 * order so readers spread over the gateways; at most SHARED_GATEWAYS in all.
 */
export function withSharedGateways(lbs: LocatedBlocks, live: readonly Location[], random: () => number = Math.random): LocatedBlocks {
  const gateways = live.filter((l) => isSharedStorage(l.storageType));
  if (gateways.length === 0) return lbs;
  const extend = (lb: LocatedBlock): LocatedBlock => {
    if (!wantsGateways(lb) || lb.locations.length >= SHARED_GATEWAYS) return lb;
    const present = new Set(lb.locations.map((l) => l.datanode.uuid));
    const others = gateways.filter((g) => !present.has(g.datanode.uuid));
    for (let i = others.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [others[i], others[j]] = [others[j] as Location, others[i] as Location];
    }
    const seen = new Set<string>();
    const added = others.filter((g) => !seen.has(g.datanode.uuid) && seen.add(g.datanode.uuid));
    return { ...lb, locations: [...lb.locations, ...added].slice(0, Math.max(lb.locations.length, SHARED_GATEWAYS)) };
  };
  const blocks = lbs.blocks.map(extend);
  const lastBlock = lbs.lastBlock && extend(lbs.lastBlock);
  return { ...lbs, blocks, lastBlock };
}
