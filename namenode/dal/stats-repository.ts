import type { NamespaceTotals } from '../domain/fleet-status';
import type { Query } from './query';

/** Totals over whole tables for the web UI and /jmx: scans, so their callers cache the answers. */
export interface StatsRepository {
  countNamespace(): Query<NamespaceTotals>;
  /** Replicas held by each datanode uuid (its block count in the UI). */
  countReplicasByDatanode(): Query<ReadonlyMap<string, number>>;
  /** The highest schema migration applied to the database. */
  findSchemaVersion(): Query<number>;
}
