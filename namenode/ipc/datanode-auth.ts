import { parseMembershipProof, proofMadeWith } from '../../protocol/security/membership-proof';
import type { RpcCallContext } from '../../protocol/ipc/rpc-handler';
import { NamesystemError } from '../errors';

/** How far a proof's clock may be from ours (and how long its nonce is remembered). */
const SKEW_MS = 5 * 60_000;
/** Nonces seen within the window; past this many, new proofs wait for old ones to age out. */
const MAX_REMEMBERED_NONCES = 100_000;

export type MembershipSecretSource = () => Promise<Buffer | undefined>;

/**
 * Checks the membership proof a datanode puts in its connection context
 * (protocol/security/membership-proof.ts), once per connection: the answer
 * is kept per connection, so a long-lived link is not re-checked against
 * the clock. A proof is accepted once (its nonce), within the skew window,
 * and only with the fleet's secret, read once from its row.
 */
export class DatanodeAuthenticator {
  readonly #loadSecret: MembershipSecretSource;
  #secret: Promise<Buffer | undefined> | undefined;
  readonly #byConnection = new WeakMap<object, string>();
  readonly #nonces = new Map<string, number>();

  constructor(loadSecret: MembershipSecretSource) {
    this.#loadSecret = loadSecret;
  }

  /** The datanode uuid the call's connection proved to be; AccessControlException otherwise. */
  async authenticate(ctx: RpcCallContext, now = Date.now()): Promise<string> {
    const known = this.#byConnection.get(ctx.connection);
    if (known !== undefined) return known;
    const proof = parseMembershipProof(ctx.user);
    if (!proof) throw denied(`${ctx.method} from ${ctx.remoteAddress}: the connection did not authenticate as a datanode`);
    if (Math.abs(now - proof.timeMs) > SKEW_MS) throw denied(`datanode proof from ${ctx.remoteAddress} is outside the ${SKEW_MS / 1000} s clock window`);
    const secret = await this.#secretOnce();
    if (!secret || !proofMadeWith(secret, proof)) throw denied(`datanode proof from ${ctx.remoteAddress} is not made with this fleet's secret`);
    // Re-checked after the await: two calls of one connection may race here.
    const raced = this.#byConnection.get(ctx.connection);
    if (raced !== undefined) return raced;
    this.#forgetOldNonces(now);
    if (this.#nonces.has(proof.nonce)) throw denied(`datanode proof from ${ctx.remoteAddress} was already used`);
    if (this.#nonces.size >= MAX_REMEMBERED_NONCES) throw denied('too many datanode connections in the clock window; try again later');
    this.#nonces.set(proof.nonce, proof.timeMs);
    this.#byConnection.set(ctx.connection, proof.uuid);
    return proof.uuid;
  }

  /** Like authenticate, and the message must be about the same datanode. */
  async authenticateAs(ctx: RpcCallContext, uuid: string): Promise<void> {
    const proven = await this.authenticate(ctx);
    if (proven !== uuid) throw denied(`connection authenticated as datanode ${proven} may not act for datanode ${uuid}`);
  }

  #secretOnce(): Promise<Buffer | undefined> {
    this.#secret ??= this.#loadSecret().then(
      (s) => {
        // A fleet not formatted yet: look again next time.
        if (!s) this.#secret = undefined;
        return s;
      },
      (err: unknown) => {
        this.#secret = undefined;
        throw err;
      },
    );
    return this.#secret;
  }

  #forgetOldNonces(now: number): void {
    // Insertion order is close to time order: stop at the first nonce still in the window.
    for (const [nonce, at] of this.#nonces) {
      if (at >= now - 2 * SKEW_MS) break;
      this.#nonces.delete(nonce);
    }
  }
}

const denied = (message: string) => new NamesystemError('AccessDenied', message);
