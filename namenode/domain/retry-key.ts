/**
 * A non-idempotent call as Hadoop IPC identifies it (the client's 16-byte
 * id and its call id): the key of the at-most-once retry cache.
 */
export interface RetryKey {
  readonly clientId: Buffer;
  readonly callId: number;
  readonly method: string;
  /** Who made the call: a cached answer is handed only to the same user. */
  readonly user: string;
}
