import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How a datanode proves it belongs to the fleet on a DatanodeProtocol
 * connection: the connection context's effective user is
 *
 *   nnfleet-datanode:<uuid>:<unix ms>:<nonce hex>:<hex HMAC-SHA256(secret, uuid|ms|nonce)>
 *
 * The secret never crosses the wire; the time bounds a replay to the
 * namenode's skew window and the nonce lets it refuse one inside it.
 */

export const MEMBERSHIP_USER_PREFIX = 'nnfleet-datanode';
/** Longer than any proof we make; a longer user is not a proof. */
const MAX_PROOF_LENGTH = 256;
const UUID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const NONCE_PATTERN = /^[0-9a-f]{32}$/;
const MAC_PATTERN = /^[0-9a-f]{64}$/;

export interface MembershipProof {
  readonly uuid: string;
  readonly timeMs: number;
  readonly nonce: string;
  readonly mac: string;
}

const macOf = (secret: Buffer, uuid: string, timeMs: number, nonce: string) =>
  createHmac('sha256', secret).update(`${uuid}|${timeMs}|${nonce}`).digest('hex');

export function membershipUser(secret: Buffer, uuid: string, now = Date.now()): string {
  const nonce = randomBytes(16).toString('hex');
  return `${MEMBERSHIP_USER_PREFIX}:${uuid}:${now}:${nonce}:${macOf(secret, uuid, now, nonce)}`;
}

/** The proof's fields when `user` has its shape; undefined for any other user name. */
export function parseMembershipProof(user: string): MembershipProof | undefined {
  if (user.length > MAX_PROOF_LENGTH) return undefined;
  const parts = user.split(':');
  if (parts.length !== 5 || parts[0] !== MEMBERSHIP_USER_PREFIX) return undefined;
  const [, uuid = '', time = '', nonce = '', mac = ''] = parts;
  if (!UUID_PATTERN.test(uuid) || !/^[0-9]{1,15}$/.test(time) || !NONCE_PATTERN.test(nonce) || !MAC_PATTERN.test(mac)) return undefined;
  return { uuid, timeMs: Number(time), nonce, mac };
}

/** Whether the proof was made with `secret` (constant time). */
export function proofMadeWith(secret: Buffer, proof: MembershipProof): boolean {
  const expected = Buffer.from(macOf(secret, proof.uuid, proof.timeMs, proof.nonce), 'hex');
  return timingSafeEqual(expected, Buffer.from(proof.mac, 'hex'));
}
