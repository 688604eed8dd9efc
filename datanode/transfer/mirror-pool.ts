import type { Mirror } from './mirror-connection';

/** Idle mirror connections kept per downstream datanode; more are closed. */
const MAX_IDLE_PER_ADDRESS = 32;
/**
 * How long an idle mirror connection may be reused: Hadoop's client socket
 * cache expiry (dfs.client.socketcache.expiryMsec, 3 s), under the
 * downstream's wait for a next op (`XceiverLimits.keepaliveMs`, 4 s,
 * Hadoop's dfs.datanode.socket.reuse.keepalive), so the downstream never
 * closes a connection this side still offers.
 */
export const MIRROR_IDLE_MS = 3_000;

interface Idle {
  readonly mirror: Mirror;
  readonly since: number;
}

/**
 * Connections to the next datanode of a pipeline whose WRITE_BLOCK ended
 * cleanly (every packet acknowledged), kept for the next block to the same
 * datanode. Hadoop's DataXceiver serves several ops on one connection; a
 * pipeline of small files otherwise pays a connect, an accept and a socket
 * per block per hop. Newest first (the warmest socket); stale ones are
 * closed when met and by a sweep.
 */
export class MirrorPool {
  readonly #idle = new Map<string, Idle[]>();
  readonly #idleMs: number;
  readonly #sweep: NodeJS.Timeout;
  #reused = 0;

  constructor(idleMs: number = MIRROR_IDLE_MS) {
    this.#idleMs = idleMs;
    this.#sweep = setInterval(() => this.#closeStale(Date.now()), idleMs).unref();
  }

  /** An open idle connection to `address`, or undefined: the caller connects. */
  take(address: string): Mirror | undefined {
    const list = this.#idle.get(address);
    if (!list) return undefined;
    const now = Date.now();
    for (let idle = list.pop(); idle; idle = list.pop()) {
      if (usable(idle.mirror) && now - idle.since < this.#idleMs) {
        this.#reused++;
        return idle.mirror;
      }
      idle.mirror.socket.destroy();
    }
    return undefined;
  }

  /** Keeps a mirror whose last op finished cleanly (nothing unread, nothing owed). */
  give(mirror: Mirror): void {
    if (!usable(mirror)) {
      mirror.socket.destroy();
      return;
    }
    let list = this.#idle.get(mirror.address);
    if (!list) this.#idle.set(mirror.address, (list = []));
    if (list.length >= MAX_IDLE_PER_ADDRESS) {
      mirror.socket.destroy();
      return;
    }
    list.push({ mirror, since: Date.now() });
  }

  /** Blocks whose mirror connection was reused rather than opened. */
  get reused(): number {
    return this.#reused;
  }

  /** Idle connections held now that are still open. */
  get idle(): number {
    let n = 0;
    for (const list of this.#idle.values()) for (const idle of list) if (usable(idle.mirror)) n++;
    return n;
  }

  close(): void {
    clearInterval(this.#sweep);
    for (const list of this.#idle.values()) for (const idle of list) idle.mirror.socket.destroy();
    this.#idle.clear();
  }

  #closeStale(now: number): void {
    for (const [address, list] of this.#idle) {
      const keep = list.filter((idle) => {
        const fresh = usable(idle.mirror) && now - idle.since < this.#idleMs;
        if (!fresh) idle.mirror.socket.destroy();
        return fresh;
      });
      if (keep.length > 0) this.#idle.set(address, keep);
      else this.#idle.delete(address);
    }
  }
}

/** Open both ways, and the downstream sent nothing since its last ack (anything would be garbage). */
function usable(mirror: Mirror): boolean {
  const s = mirror.socket;
  return !s.destroyed && !s.writableEnded && !s.readableEnded && mirror.reader.idle;
}
