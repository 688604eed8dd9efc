import type { hadoop } from '../../protocol/generated/hadoop';
import { issueBlockToken, type AccessMode, type BlockToken } from '../../protocol/security/block-token';
import type { BlockKeyRecord } from '../domain/block-key';
import type { BlockKeyRing } from '../security/block-key-ring';

/** Tokens off: the empty token, as HDFS sends without block access tokens. */
export const EMPTY_TOKEN: BlockToken = { identifier: new Uint8Array(0), password: new Uint8Array(0), kind: '', service: '' };

export type TokenSigner = (blockId: number) => BlockToken;

const NO_TOKENS: TokenSigner = () => EMPTY_TOKEN;

/**
 * Block access tokens for the LocatedBlocks a namenode hands out, and the
 * keys datanodes verify them with (ExportedBlockKeysProto). Without a ring
 * (dfs.block.access.token.enable = false) every token is empty.
 */
export class BlockTokenIssuer {
  readonly #ring: BlockKeyRing | undefined;

  constructor(ring: BlockKeyRing | undefined) {
    this.#ring = ring;
  }

  get enabled(): boolean {
    return this.#ring !== undefined;
  }

  /** Signs tokens for `user` with one key lookup for all the blocks of one answer. */
  async signer(user: string, poolId: string, modes: readonly AccessMode[]): Promise<TokenSigner> {
    const ring = this.#ring;
    if (!ring) return NO_TOKENS;
    const { key } = await ring.signing();
    const now = Date.now();
    const secret = { keyId: key.keyId, expiryDate: key.expiresAt, secret: key.secret };
    const expiryDate = now + ring.times.tokenLifetimeMs;
    return (blockId) =>
      issueBlockToken({ expiryDate, userId: user, blockPoolId: poolId, blockId: BigInt(blockId), modes, storageTypes: [], storageIds: [] }, secret);
  }

  /** The keys as DatanodeRegistrationProto.keys and KeyUpdateCommandProto carry them. */
  async exportedKeys(): Promise<hadoop.hdfs.IExportedBlockKeysProto> {
    const ring = this.#ring;
    if (!ring) return { isBlockTokenEnabled: false, keyUpdateInterval: 0, tokenLifeTime: 0, currentKey: { keyId: 0, expiryDate: 0 }, allKeys: [] };
    const { key, all } = await ring.signing();
    return {
      isBlockTokenEnabled: true,
      keyUpdateInterval: ring.times.updateIntervalMs,
      tokenLifeTime: ring.times.tokenLifetimeMs,
      currentKey: keyProto(key),
      allKeys: all.map(keyProto),
    };
  }
}

const keyProto = (k: BlockKeyRecord): hadoop.hdfs.IBlockKeyProto => ({ keyId: k.keyId, expiryDate: k.expiresAt, keyBytes: k.secret });

/** Which keys a datanode was last handed, to send a KeyUpdateCommand only when they change. */
export const keysFingerprint = (keys: hadoop.hdfs.IExportedBlockKeysProto): string =>
  `${keys.isBlockTokenEnabled ? 1 : 0}:${(keys.allKeys ?? []).map((k) => k.keyId).join(',')}`;
