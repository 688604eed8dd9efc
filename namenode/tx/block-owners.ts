/** The newest blocks remembered: a block's replica reports arrive within moments of its addBlock. */
const MAX_BLOCKS = 1 << 16;

/**
 * The files of the blocks this namenode allocated lately, by block id: a
 * replica report names blocks, not files, and must share-lock their files
 * before it reads them (DatanodeManager). With the file known here the lock
 * and the read go in one round trip; the read says whether the block still
 * belongs to that file (concat moves blocks), and a report of a block not
 * known here reads its file first. A hint only, never an answer: bounded,
 * oldest forgotten first.
 */
export class BlockOwners {
  readonly #byBlock = new Map<number, number>();
  readonly #max: number;

  constructor(max = MAX_BLOCKS) {
    this.#max = max;
  }

  set(blockId: number, inodeId: number): void {
    this.#byBlock.delete(blockId);
    this.#byBlock.set(blockId, inodeId);
    if (this.#byBlock.size > this.#max) this.#byBlock.delete(this.#byBlock.keys().next().value as number);
  }

  get(blockId: number): number | undefined {
    return this.#byBlock.get(blockId);
  }
}
