import type { FleetSharing } from './fleet-sharing';

/** Where gauges go (the namenode's /metrics). */
interface Gauges {
  addGauge(name: string, help: string, read: () => number): void;
}

/** The waiters' counters (namenode/tx/replica-waiters.ts ReplicaWaitStats). */
interface WaitCounts {
  readonly wokenByReport: number;
  readonly wokenByNotice: number;
  readonly pollTimeouts: number;
  readonly backoffSleeps: number;
  readonly firstCopyWaits: number;
  readonly firstCopyTimeouts: number;
  readonly otherCopiesWaits: number;
  readonly otherCopiesTimeouts: number;
}

/** How complete/addBlock waiters were woken: with or without Redis; `sleeping`: how many wait for a report right now. */
export function addReplicaWaitMetrics(g: Gauges, s: WaitCounts, sleeping: () => number): void {
  g.addGauge('nnfleet_replica_waiters_sleeping', 'complete/addBlock calls asleep until a replica report (or their poll) wakes them', sleeping);
  g.addGauge('nnfleet_replica_waiters_woken_by_report', 'complete/addBlock waiters woken by a report this namenode took', () => s.wokenByReport);
  g.addGauge('nnfleet_replica_waiters_woken_by_notice', 'complete/addBlock waiters woken by another namenode’s replica-arrived notice', () => s.wokenByNotice);
  g.addGauge('nnfleet_replica_waiter_poll_timeouts', 'complete/addBlock waiters that re-ran their transaction on the poll timer (no report, no notice)', () => s.pollTimeouts);
  g.addGauge('nnfleet_replica_waiter_backoff_sleeps', 'complete/addBlock backoff sleeps of attempts that named no file to watch', () => s.backoffSleeps);
  g.addGauge('nnfleet_replica_first_copy_waits', 'complete first tries held back until a copy of their last block was reported here', () => s.firstCopyWaits);
  g.addGauge('nnfleet_replica_first_copy_timeouts', 'complete first tries whose hold ended without the copy (the try then ran and waited as before)', () => s.firstCopyTimeouts);
  g.addGauge('nnfleet_replica_other_copies_waits', 'complete first tries held back, a copy of their last block in, for its pipeline’s other copies reported here', () => s.otherCopiesWaits);
  g.addGauge('nnfleet_replica_other_copies_timeouts', 'complete first tries whose hold for the other copies ended without them all (the closed block goes to the replication monitor)', () => s.otherCopiesTimeouts);
}

/** Replica-arrived notices and shared hints on /metrics. */
export function addFleetSharingMetrics(g: Gauges, f: FleetSharing): void {
  const notices = f.notices;
  if (notices) {
    const n = notices.metrics;
    g.addGauge('nnfleet_replica_notices_published', 'Replica-arrived notices published to the fleet', () => n.published);
    g.addGauge('nnfleet_replica_notices_publish_failures', 'Replica-arrived notices not published (Redis unreachable)', () => n.publishFailures);
    g.addGauge('nnfleet_replica_notices_listening', '1 while subscribed to the other namenodes’ replica-arrived notices', () => (notices.listening ? 1 : 0));
    g.addGauge('nnfleet_replica_notices_received', 'Replica-arrived notices received from other namenodes', () => n.received);
  }
  const h = f.hints?.metrics;
  if (h) {
    g.addGauge('nnfleet_shared_hint_hits', 'Path hints this namenode missed and the fleet’s shared hints answered', () => h.hits);
    g.addGauge('nnfleet_shared_hint_misses', 'Path hints missed here and in the fleet’s shared hints', () => h.misses);
    g.addGauge('nnfleet_shared_hint_lookups', 'Shared-hint lookups sent to Redis', () => h.lookups);
    g.addGauge('nnfleet_shared_hint_writes', 'Shared hints written or deleted in Redis', () => h.writes);
    g.addGauge('nnfleet_shared_hint_failures', 'Shared-hint commands that failed (Redis unreachable)', () => h.failures);
  }
}
