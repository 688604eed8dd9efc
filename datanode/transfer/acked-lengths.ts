/**
 * How many bytes of each replica being written the whole downstream pipeline
 * has acknowledged (Hadoop's bytesAcked): what a reader of an open file may
 * see (getReplicaVisibleLength). Bytes this node stored but its mirrors have
 * not yet may be missing on another replica, so they are not visible yet.
 * Kept only while a client's write runs; otherwise the replica's stored
 * length is the answer.
 */
export class AckedLengths {
  readonly #byBlock = new Map<number, { generationStamp: number; bytes: number }>();

  /** An ack for the bytes up to `end` went upstream. */
  acked(blockId: number, generationStamp: number, end: number): void {
    const held = this.#byBlock.get(blockId);
    // Heartbeat packets carry no data (offset 0): never move back.
    if (held?.generationStamp === generationStamp && held.bytes >= end) return;
    this.#byBlock.set(blockId, { generationStamp, bytes: end });
  }

  /** The write of that generation ended (finalized, broken or aborted). */
  forget(blockId: number, generationStamp: number): void {
    if (this.#byBlock.get(blockId)?.generationStamp === generationStamp) this.#byBlock.delete(blockId);
  }

  /** Acknowledged bytes of that generation's running write, if one runs. */
  get(blockId: number, generationStamp: number): number | undefined {
    const held = this.#byBlock.get(blockId);
    return held?.generationStamp === generationStamp ? held.bytes : undefined;
  }
}
