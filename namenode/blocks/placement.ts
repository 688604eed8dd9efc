import type { Candidate } from '../dal/datanode-repository';
import { isStale, type DatanodeInfo } from '../domain/datanode-info';
import { isSharedStorage } from '../domain/storage';
import { staleToAvoid, type StaleAvoidance } from './stale-datanodes';

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
  /** dfs.namenode.avoid.write.stale.datanode: stale datanodes only when the fresh ones are too few. Unset: no avoidance. */
  readonly avoidStale?: StaleAvoidance;
}

const addressOf = (d: DatanodeInfo) => `${d.ipAddr}:${d.xferPort}`;

/**
 * Rack-unaware default placement: favoured nodes first, then the writer's
 * own datanode, then the rest at random; at most one storage per datanode;
 * only storages with room for a whole block. A shared storage chosen among
 * them takes the block alone. With `req.shared` set, storages of the kind
 * it names are chosen from first; the others only when those give nothing
 * (a fleet of gateways alone writes every directory to the shared store).
 * With `req.avoidStale`, stale datanodes are left to fill what the fresh
 * ones of a kind cannot, before the other kind is tried, as
 * BlockPlacementPolicyDefault retries without avoiding stale nodes before
 * it falls back to other storage types; and not avoided at all when more
 * than the ratio of the live datanodes are stale.
 */
export function chooseTargets(candidates: readonly Candidate[], req: PlacementRequest): Candidate[] {
  const staleAt = staleToAvoid(candidates, req.avoidStale);
  const choose = (among: readonly Candidate[]): Candidate[] => (staleAt === undefined ? chooseAmong(among, req) : chooseFreshFirst(among, req, staleAt));
  if (req.shared === undefined) return choose(candidates);
  const wanted = choose(candidates.filter((c) => isSharedStorage(c.storageType) === req.shared));
  return wanted.length > 0 ? wanted : choose(candidates);
}

/** Fresh datanodes first; stale ones only for the replicas the fresh could not take (HDFS's retry with avoidStaleNodes false). */
function chooseFreshFirst(candidates: readonly Candidate[], req: PlacementRequest, staleAt: number): Candidate[] {
  const fresh = chooseAmong(
    candidates.filter((c) => !isStale(c.datanode, staleAt)),
    req,
  );
  if (fresh.length >= req.count || fresh.some((c) => isSharedStorage(c.storageType))) return fresh;
  const rest = chooseAmong(candidates, { ...req, count: req.count - fresh.length, exclude: new Set([...req.exclude, ...fresh.map((c) => c.datanode.uuid)]) });
  const shared = rest.find((c) => isSharedStorage(c.storageType));
  return shared ? [shared] : [...fresh, ...rest];
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
