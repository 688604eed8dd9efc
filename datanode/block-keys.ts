import type { hadoop } from '../protocol/generated/hadoop';
import { int64ToNumber } from '../protocol/long-values';
import { issueBlockToken, type AccessMode, type BlockKey, type BlockToken } from '../protocol/security/block-token';

const EMPTY_TOKEN: BlockToken = { identifier: new Uint8Array(0), password: new Uint8Array(0), kind: '', service: '' };
/** Hadoop's default lifetime, for tokens this datanode makes before a namenode said otherwise. */
const DEFAULT_TOKEN_LIFETIME_MS = 600 * 60_000;

/**
 * The block keys the namenodes handed this datanode (registration and
 * KeyUpdateCommand): it verifies clients' tokens with them and, as HDFS
 * datanodes do, signs its own WRITE tokens with the current one when it
 * sends a replica to another datanode. When enforcing, a datanode that has
 * no keys yet refuses every op: it never serves blocks unchecked.
 */
export class DatanodeBlockKeys {
  readonly enforcing: boolean;
  readonly #keys = new Map<number, BlockKey>();
  #current: BlockKey | undefined;
  #tokenLifetimeMs = DEFAULT_TOKEN_LIFETIME_MS;

  constructor(enforcing: boolean) {
    this.enforcing = enforcing;
  }

  update(exported: hadoop.hdfs.IExportedBlockKeysProto | null | undefined): void {
    if (!exported?.isBlockTokenEnabled) return;
    const now = Date.now();
    for (const k of exported.allKeys ?? []) {
      const key = keyOf(k);
      if (key) this.#keys.set(key.keyId, key);
    }
    const current = exported.currentKey ? keyOf(exported.currentKey) : undefined;
    if (current) {
      this.#keys.set(current.keyId, current);
      this.#current = current;
    }
    const lifetime = exported.tokenLifeTime ? int64ToNumber(exported.tokenLifeTime) : 0;
    if (lifetime > 0) this.#tokenLifetimeMs = lifetime;
    for (const [id, k] of this.#keys) if (k.expiryDate < now) this.#keys.delete(id);
  }

  keyOf(keyId: number): BlockKey | undefined {
    const key = this.#keys.get(keyId);
    return key && key.expiryDate >= Date.now() ? key : undefined;
  }

  /** A token for this datanode's own transfer of a replica; empty when tokens are off or no key is known. */
  issue(poolId: string, blockId: bigint, modes: readonly AccessMode[]): BlockToken {
    const key = this.#current;
    if (!this.enforcing || !key) return EMPTY_TOKEN;
    const expiryDate = Date.now() + this.#tokenLifetimeMs;
    return issueBlockToken({ expiryDate, userId: null, blockPoolId: poolId, blockId, modes, storageTypes: [], storageIds: [] }, key);
  }
}

function keyOf(k: hadoop.hdfs.IBlockKeyProto): BlockKey | undefined {
  if (!k.keyBytes || k.keyBytes.length === 0) return undefined;
  return { keyId: k.keyId ?? 0, expiryDate: k.expiryDate ? int64ToNumber(k.expiryDate) : 0, secret: Buffer.from(k.keyBytes) };
}
