import type { hadoop } from '../../protocol/generated/hadoop';
import { issueBlockToken, type AccessMode } from '../../protocol/security/block-token';
import type { RunningNamenode } from '../../namenode/namenode-process';

/** A token signed with the fleet's active key, as a namenode would issue it, for tests that speak DTP directly. */
export async function blockTokenFor(namenode: RunningNamenode, blockId: number, mode: AccessMode = 'READ'): Promise<{ poolId: string; token: hadoop.common.ITokenProto }> {
  const { runner, dal } = namenode.namesystem.context;
  const poolId = (await namenode.namesystem.namespace()).blockPoolId;
  const key = (await runner.query('test', dal.security.findBlockKeys())).filter((k) => k.activatesAt <= Date.now()).at(-1);
  if (!key) throw new Error('the fleet has no active block key yet');
  const token = issueBlockToken(
    { expiryDate: Date.now() + 600_000, userId: null, blockPoolId: poolId, blockId: BigInt(blockId), modes: [mode], storageTypes: [], storageIds: [] },
    { keyId: key.keyId, expiryDate: key.expiresAt, secret: key.secret },
  );
  return { poolId, token };
}
