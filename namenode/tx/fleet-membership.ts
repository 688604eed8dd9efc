/**
 * Who is in the fleet, as leader election last saw it. A subtree lock whose
 * owner is not live is dead at once: nobody waits for it to expire.
 */
export interface FleetMembership {
  /** This namenode's id (0 before it joined the election). */
  readonly selfId: number;
  /** Whether namenode `id` heartbeated within the election's liveness window at the last round. */
  isLive(id: number): boolean;
}

