import type { Candidate } from '../dal/datanode-repository';
import { DatanodeState } from '../domain/datanode-info';
import { isSharedStorage } from '../domain/storage';
import { BlockState, type Block, type Location } from '../domain/located-blocks';
import type { FileBlocks } from './file-blocks';
import { chooseTargets } from './placement';
import type { StaleAvoidance } from './stale-datanodes';

/** What the replication monitor does with one queued block. */
export type ReplicationDecision =
  /** Nothing left to do (the block is gone, or still being written): the entry goes. */
  | { readonly kind: 'forget' }
  /** Enough good copies: these bad or excess ones are deleted, the entry goes. */
  | { readonly kind: 'whole'; readonly invalidate: readonly Location[] }
  /** No live good copy: missing until a datanode comes back with one; the entry stays. */
  | { readonly kind: 'missing' }
  /** Every other datanode holds a bad copy: those are deleted so they can take a new one; the entry stays. */
  | { readonly kind: 'clear'; readonly invalidate: readonly Location[] }
  /** Copy from `source` to `targets`; the entry stays, marked scheduled, until the copies are reported. */
  | { readonly kind: 'transfer'; readonly source: Location; readonly targets: readonly Candidate[] };

/**
 * The replication monitor's rule for one block of a file that wants
 * `replication` copies, given its copies as the rows say (`fb`) and the
 * storages that could take a new one. A good copy on shared storage is the
 * store's to keep safe: the block is whole, however many copies that is.
 * A copy on a datanode being decommissioned (or decommissioned) counts for
 * nothing: it may be the source of a transfer, never deleted as excess.
 */
export function decideReplication(
  block: Block,
  fb: FileBlocks,
  replication: number,
  candidates: readonly Candidate[],
  random: () => number = Math.random,
  /** dfs.namenode.avoid.write.stale.datanode holds for new copies too, as in HDFS. */
  avoidStale?: StaleAvoidance,
): ReplicationDecision {
  if (block.state === BlockState.UnderConstruction || block.state === BlockState.UnderRecovery) return { kind: 'forget' };
  const copies = fb.replicas.get(block.blockId) ?? [];
  const good = copies.filter((l) => !isRetiring(l));
  const corrupt = fb.corrupt.get(block.blockId) ?? [];
  if (good.some((l) => isSharedStorage(l.storageType))) return { kind: 'whole', invalidate: corrupt.filter((l) => !isSharedStorage(l.storageType)) };
  if (good.length >= replication) return { kind: 'whole', invalidate: [...corrupt, ...good.slice(replication)] };
  // Its good copies are on datanodes' own disks (a shared one would make it whole): new ones go there
  // too, never to a shared store its directory's storage policy did not choose.
  const onDisks = candidates.filter((c) => !isSharedStorage(c.storageType));
  if (good.length > 0 && good.length >= onDisks.length) return { kind: 'whole', invalidate: corrupt };
  const source = copies[Math.floor(random() * copies.length)];
  if (!source) return { kind: 'missing' };
  const holders = new Set([...copies, ...corrupt].map((l) => l.datanode.uuid));
  const targets = chooseTargets(onDisks, { count: replication - good.length, blockSize: block.numBytes, exclude: holders, favored: [], random, ...(avoidStale ? { avoidStale } : {}) });
  if (targets.length === 0) return { kind: 'clear', invalidate: corrupt };
  return { kind: 'transfer', source, targets };
}

/** A copy on a datanode an operator is taking out of service. */
const isRetiring = (l: Location): boolean => l.datanode.state === DatanodeState.Decommissioning || l.datanode.state === DatanodeState.Decommissioned;
