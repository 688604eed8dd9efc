import type { NamespaceIdentity } from '../../schema/namespace-rows';
import type { LockMode } from './inode-repository';
import type { Mutation, Query } from './query';

/** `namespace_info`: its identity written once by format; the fleet's safe mode (on the root inode's row since v0017). */
export interface NamespaceRepository {
  findIdentity(): Query<NamespaceIdentity | undefined>;
  /** When safe mode was entered (epoch ms), or null while it is off. */
  findSafeMode(lock: LockMode): Query<number | null>;
  /** Turns safe mode on; entering again keeps the first time. */
  enterSafeMode(now: number): Mutation;
  leaveSafeMode(): Mutation;
}
