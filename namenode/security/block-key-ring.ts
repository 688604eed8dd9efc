import { signingKey, type BlockKeyRecord, type BlockKeyTimes } from '../domain/block-key';
import { NamesystemError } from '../errors';

export interface BlockKeySource {
  load(): Promise<readonly BlockKeyRecord[]>;
  /** Makes the keys the rolling rule calls for now (the leader's duty, run early by a namenode that finds none). */
  ensure(): Promise<void>;
}

/**
 * This namenode's copy of the fleet's block keys, re-read from the rows at
 * most every `refreshMs`. The refresh is a fraction of the update interval,
 * so a key the leader made is known here (and handed to datanodes) long
 * before it activates.
 */
export class BlockKeyRing {
  readonly #source: BlockKeySource;
  readonly #times: BlockKeyTimes;
  readonly #refreshMs: number;
  #keys: readonly BlockKeyRecord[] = [];
  #loadedAt = -Infinity;
  #loading: Promise<readonly BlockKeyRecord[]> | undefined;

  constructor(source: BlockKeySource, times: BlockKeyTimes) {
    this.#source = source;
    this.#times = times;
    this.#refreshMs = Math.max(100, Math.min(30_000, Math.floor(times.updateIntervalMs / 4)));
  }

  get times(): BlockKeyTimes {
    return this.#times;
  }

  /** Every key still verifying, newest last. */
  async keys(now = Date.now()): Promise<readonly BlockKeyRecord[]> {
    if (now - this.#loadedAt >= this.#refreshMs) await this.#reload();
    return this.#keys.filter((k) => k.expiresAt >= now);
  }

  /** The key to sign with now; made on the spot when the leader has not made one yet (a fresh fleet). */
  async signing(): Promise<{ key: BlockKeyRecord; all: readonly BlockKeyRecord[] }> {
    let all = await this.keys();
    let key = signingKey(all, Date.now(), this.#times);
    if (!key) {
      await this.#source.ensure();
      this.#loadedAt = -Infinity;
      // Read the clock again: the key just made activates at the time it was made.
      const now = Date.now();
      all = await this.keys(now);
      key = signingKey(all, now, this.#times);
    }
    if (!key) throw new NamesystemError('IO', 'no block access key is available yet');
    return { key, all };
  }

  #reload(): Promise<readonly BlockKeyRecord[]> {
    this.#loading ??= this.#source
      .load()
      .then((keys) => {
        this.#keys = keys;
        this.#loadedAt = Date.now();
        return keys;
      })
      .finally(() => (this.#loading = undefined));
    return this.#loading;
  }
}
