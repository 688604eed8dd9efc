/** The newest blocks remembered: a block's replica reports arrive within moments of its addBlock. */
const MAX_BLOCKS = 1 << 16;

interface Owner {
  readonly inodeId: number;
  /** The datanodes its pipeline was handed (uuids). */
  readonly pipeline: readonly string[];
}

/**
 * The files and pipelines of the blocks this namenode allocated lately, by
 * block id. A replica report names blocks, not files, and must share-lock
 * their files before it reads them (DatanodeManager): with the file known
 * here the lock and the read go in one round trip, and the read says
 * whether the block still belongs to that file (concat moves blocks); a
 * report of a block not known here reads its file first. The pipeline tells
 * a complete whether the block's copies are reported to this namenode
 * (ReplicaWaiters.pipelineCopies). Hints only, never answers: bounded, the
 * oldest forgotten first.
 */
export class BlockOwners {
  readonly #byBlock = new Map<number, Owner>();
  readonly #max: number;

  constructor(max = MAX_BLOCKS) {
    this.#max = max;
  }

  set(blockId: number, inodeId: number, pipeline: readonly string[] = this.#byBlock.get(blockId)?.pipeline ?? []): void {
    this.#byBlock.delete(blockId);
    this.#byBlock.set(blockId, { inodeId, pipeline });
    if (this.#byBlock.size > this.#max) this.#byBlock.delete(this.#byBlock.keys().next().value as number);
  }

  /** The file the block was allocated to. */
  get(blockId: number): number | undefined {
    return this.#byBlock.get(blockId)?.inodeId;
  }

  /** The datanodes the block's pipeline was handed; empty when not known here. */
  pipeline(blockId: number): readonly string[] {
    return this.#byBlock.get(blockId)?.pipeline ?? [];
  }
}
