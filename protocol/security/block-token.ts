import { createHmac, timingSafeEqual } from 'node:crypto';
import { WritableDecodeError, WritableReader, WritableWriter } from './writable';

/**
 * Block access tokens as HDFS issues them (BlockTokenIdentifier, legacy
 * Writable encoding; BlockTokenSecretManager's HMAC-SHA1 password). Pure
 * codec: namenodes sign, datanodes verify, both with keys handed to them.
 *
 *   vlong expiryDate (epoch ms) | vint keyId | string userId | string blockPoolId
 *   | vlong blockId | vint n, n × enum AccessMode | vint n, n × enum StorageType
 *   | vint n, n × string storageId | [vint n, n bytes handshake secret]
 */

export const BLOCK_TOKEN_KIND = 'HDFS_BLOCK_TOKEN';

/** In ordinal order, as Java's EnumSet writes them. */
export const ACCESS_MODES = ['READ', 'WRITE', 'COPY', 'REPLACE'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

const STORAGE_TYPES = new Set(['RAM_DISK', 'SSD', 'DISK', 'ARCHIVE', 'PROVIDED', 'NVDIMM']);
/** Bounds on what a datanode decodes: a token is ~100 bytes. */
const MAX_TOKEN_BYTES = 4096;
const MAX_STRING_BYTES = 1024;
const MAX_LIST = 64;

export interface BlockTokenIdentifier {
  readonly expiryDate: number;
  readonly keyId: number;
  readonly userId: string | null;
  readonly blockPoolId: string | null;
  readonly blockId: bigint;
  readonly modes: readonly AccessMode[];
  readonly storageTypes: readonly string[];
  readonly storageIds: readonly string[];
}

/** One block key (Hadoop's BlockKey): tokens name it by id. */
export interface BlockKey {
  readonly keyId: number;
  /** Epoch ms after which the key verifies nothing. */
  readonly expiryDate: number;
  readonly secret: Buffer;
}

/** Hadoop's TokenProto. */
export interface BlockToken {
  readonly identifier: Uint8Array;
  readonly password: Uint8Array;
  readonly kind: string;
  readonly service: string;
}

export class BlockTokenDecodeError extends Error {
  override readonly name = 'BlockTokenDecodeError';
}

export function encodeIdentifier(id: BlockTokenIdentifier): Buffer {
  const w = new WritableWriter().vlong(BigInt(id.expiryDate)).vint(id.keyId).string(id.userId).string(id.blockPoolId).vlong(id.blockId);
  const modes = ACCESS_MODES.filter((m) => id.modes.includes(m));
  w.vint(modes.length);
  for (const m of modes) w.enumName(m);
  w.vint(id.storageTypes.length);
  for (const t of id.storageTypes) w.enumName(t);
  w.vint(id.storageIds.length);
  for (const s of id.storageIds) w.string(s);
  return w.finish();
}

export function decodeIdentifier(bytes: Uint8Array): BlockTokenIdentifier {
  if (bytes.length > MAX_TOKEN_BYTES) throw new BlockTokenDecodeError(`block token identifier of ${bytes.length} bytes`);
  try {
    const r = new WritableReader(bytes);
    const expiryDate = Number(r.vlong());
    const keyId = r.vintIn(-(2 ** 31), 2 ** 31 - 1);
    const userId = r.string(MAX_STRING_BYTES);
    const blockPoolId = r.string(MAX_STRING_BYTES);
    const blockId = r.vlong();
    const modes: AccessMode[] = [];
    for (let n = r.vintIn(0, ACCESS_MODES.length); n > 0; n--) {
      const name = r.enumName(16);
      if (!(ACCESS_MODES as readonly string[]).includes(name)) throw new BlockTokenDecodeError(`unknown access mode ${name}`);
      modes.push(name as AccessMode);
    }
    const storageTypes: string[] = [];
    for (let n = r.vintIn(0, MAX_LIST); n > 0; n--) {
      const name = r.enumName(16);
      if (!STORAGE_TYPES.has(name)) throw new BlockTokenDecodeError(`unknown storage type ${name}`);
      storageTypes.push(name);
    }
    const storageIds: string[] = [];
    for (let n = r.vintIn(0, MAX_LIST); n > 0; n--) storageIds.push(r.string(MAX_STRING_BYTES) ?? '');
    return { expiryDate, keyId, userId, blockPoolId, blockId, modes, storageTypes, storageIds };
  } catch (err) {
    if (err instanceof WritableDecodeError) throw new BlockTokenDecodeError(`malformed block token identifier: ${err.message}`);
    throw err;
  }
}

/** BlockTokenSecretManager.createPassword: HMAC-SHA1 of the identifier bytes under the key. */
export function tokenPassword(identifier: Uint8Array, key: BlockKey): Buffer {
  return createHmac('sha1', key.secret).update(identifier).digest();
}

export function issueBlockToken(id: Omit<BlockTokenIdentifier, 'keyId'>, key: BlockKey): BlockToken {
  const identifier = encodeIdentifier({ ...id, keyId: key.keyId });
  return { identifier, password: tokenPassword(identifier, key), kind: BLOCK_TOKEN_KIND, service: '' };
}

export interface BlockAccess {
  readonly blockPoolId: string;
  readonly blockId: bigint;
  readonly mode: AccessMode;
  readonly now: number;
}

/**
 * BlockTokenSecretManager.checkAccess: undefined when the token grants the
 * access, else why not (Hadoop's wording, for the datanode's log and answer).
 */
export function checkBlockToken(token: BlockToken | null | undefined, keyOf: (keyId: number) => BlockKey | undefined, want: BlockAccess): string | undefined {
  if (!token || token.identifier.length === 0) return `Block token is required for block ${want.blockId} (${want.mode})`;
  let id: BlockTokenIdentifier;
  try {
    id = decodeIdentifier(token.identifier);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const shown = `block_token_identifier (expiryDate=${id.expiryDate}, keyId=${id.keyId}, blockPoolId=${id.blockPoolId}, blockId=${id.blockId})`;
  if (id.blockPoolId !== want.blockPoolId) return `Block token with ${shown} doesn't apply to block pool ${want.blockPoolId}`;
  if (id.blockId !== want.blockId) return `Block token with ${shown} doesn't apply to block ${want.blockId}`;
  if (id.expiryDate < want.now) return `Block token with ${shown} is expired.`;
  if (!id.modes.includes(want.mode)) return `Block token with ${shown} doesn't have ${want.mode} permission`;
  const key = keyOf(id.keyId);
  if (!key) return `Can't re-compute password for ${shown}, since the required block key (keyID=${id.keyId}) doesn't exist.`;
  const expected = tokenPassword(token.identifier, key);
  const given = Buffer.from(token.password);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return `Block token with ${shown} doesn't have the correct token password`;
  return undefined;
}
