import type { BlockKeyRecord } from '../../namenode/domain/block-key';
import type { SecurityRepository } from '../../namenode/dal/security-repository';
import { deleteWhere, insertRow, localMutation, localQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';

export function memorySecurity(t: MemoryTables): SecurityRepository {
  return {
    findMembershipSecret: () => localQuery(() => t.membershipSecret.rows()[0]?.secret),
    findBlockKeys: () => localQuery((): BlockKeyRecord[] => [...t.blockKeys.rows()].sort((a, b) => a.activatesAt - b.activatesAt)),
    insertBlockKey: (key) => localMutation((log) => insertRow(t.blockKeys, key, log)),
    deleteBlockKeysExpiredBefore: (epochMs) => localMutation((log) => deleteWhere(t.blockKeys, (k) => k.expiresAt < epochMs, log)),
  };
}
