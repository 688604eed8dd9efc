import type { Candidate } from '../dal/datanode-repository';
import type { DatanodeInfo } from '../domain/datanode-info';
import { isSharedStorage } from '../domain/storage';

export interface PlacementRequest {
  readonly count: number;
  readonly blockSize: number;
  /** Datanode uuids or "ip:xferPort" the client asked us to avoid. */
  readonly exclude: ReadonlySet<string>;
  /** "host:xferPort" the client would like, in order. */
  readonly favored: readonly string[];
  /** The writer's address: a datanode there gets the first replica, as in HDFS. */
  readonly writer?: string;
  readonly random?: () => number;
  /**
   * The kind of storage the block belongs on (the file's storage policy):
   * shared (true) or a datanode's own disks (false); the other kind only
   * when none of this one can take it. Unset: any storage.
   */
  readonly shared?: boolean;
}

const addressOf = (d: DatanodeInfo) => `${d.ipAddr}:${d.xferPort}`;

/**
 * Rack-unaware default placement: favoured nodes first, then the writer's
 * own datanode, then the rest at random; at most one storage per datanode;
 * only storages with room for a whole block. A shared storage chosen among
 * them takes the block alone. With `req.shared` set, storages of the kind
 * it names are chosen from first; the others only when those give nothing
 * (a fleet of gateways alone writes every directory to the shared store).
 */
export function chooseTargets(candidates: readonly Candidate[], req: PlacementRequest): Candidate[] {
  if (req.shared === undefined) return chooseAmong(candidates, req);
  const wanted = chooseAmong(
    candidates.filter((c) => isSharedStorage(c.storageType) === req.shared),
    req,
  );
  return wanted.length > 0 ? wanted : chooseAmong(candidates, req);
}

function chooseAmong(candidates: readonly Candidate[], req: PlacementRequest): Candidate[] {
  const random = req.random ?? Math.random;
  const perNode = new Map<string, Candidate>();
  for (const c of candidates) {
    const d = c.datanode;
    if (req.exclude.has(d.uuid) || req.exclude.has(addressOf(d)) || req.exclude.has(`${d.hostName}:${d.xferPort}`)) continue;
    if (c.storageRemaining < req.blockSize) continue;
    const best = perNode.get(d.uuid);
    if (!best || c.storageRemaining > best.storageRemaining) perNode.set(d.uuid, c);
  }
  const pool = [...perNode.values()];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as Candidate, pool[i] as Candidate];
  }
  const rank = (c: Candidate): number => {
    const f = req.favored.findIndex((a) => a === addressOf(c.datanode) || a === `${c.datanode.hostName}:${c.datanode.xferPort}`);
    if (f >= 0) return f;
    if (req.writer !== undefined && c.datanode.ipAddr === req.writer) return req.favored.length;
    return req.favored.length + 1;
  };
  const chosen = pool.sort((a, b) => rank(a) - rank(b)).slice(0, req.count);
  // One shared storage holds the block for every datanode on it: it takes the block alone.
  const shared = chosen.find((c) => isSharedStorage(c.storageType));
  return shared ? [shared] : chosen;
}
