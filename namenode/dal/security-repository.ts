import type { BlockKeyRecord } from '../domain/block-key';
import type { Mutation, Query } from './query';

/** `membership_secret` and `block_keys`: what datanodes and block tokens are checked against. */
export interface SecurityRepository {
  /** The fleet's membership secret (made by format); undefined before format. */
  findMembershipSecret(): Query<Buffer | undefined>;
  findBlockKeys(): Query<BlockKeyRecord[]>;
  insertBlockKey(key: BlockKeyRecord): Mutation;
  deleteBlockKeysExpiredBefore(epochMs: number): Mutation;
}
