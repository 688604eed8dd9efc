import type { Db } from '../dal/db-session';
import type { NamespaceRepository } from '../dal/namespace-repository';

/**
 * The join fence of the coherent cache (namenode/cache/README.md, *Sole holder*): locks
 * the root's row, which carries the safe mode, exclusively and lets it go.
 * Every path write locks that row in its lock round trip and keeps it
 * until it commits, so this returns once every such write that took its
 * lock before has committed or rolled back (as entering safe mode waits
 * for them).
 */
export function writeFence(db: Db, namespace: NamespaceRepository): () => Promise<void> {
  return () =>
    db.transaction(async (tx) => {
      await tx.run(namespace.findSafeMode('exclusive'));
      await tx.commit([]);
    });
}
