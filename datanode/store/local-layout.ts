import { join } from 'node:path';

/**
 * Paths of the local store, Hadoop-like:
 *
 * ```
 * <dataDir>/current/rbw/blk_<id>, blk_<id>_<gs>.meta                  in progress
 * <dataDir>/current/finalized/subdir<a>/subdir<b>/blk_<id>, …_<gs>.meta finalized
 * ```
 *
 * Finalized blocks are spread over 32x32 subdirectories by id so no
 * directory grows huge; RBW replicas are few and stay flat.
 */
export class LocalLayout {
  readonly rbwDir: string;
  readonly finalizedDir: string;

  constructor(readonly root: string) {
    this.rbwDir = join(root, 'current', 'rbw');
    this.finalizedDir = join(root, 'current', 'finalized');
  }

  finalizedSubdir(blockId: number): string {
    const a = Math.floor(blockId / 65536) % 32;
    const b = Math.floor(blockId / 256) % 32;
    return join(this.finalizedDir, `subdir${a}`, `subdir${b}`);
  }

  dir(blockId: number, finalized: boolean): string {
    return finalized ? this.finalizedSubdir(blockId) : this.rbwDir;
  }

  dataPath(blockId: number, finalized: boolean): string {
    return join(this.dir(blockId, finalized), dataFileName(blockId));
  }

  metaPath(blockId: number, generationStamp: number, finalized: boolean): string {
    return join(this.dir(blockId, finalized), metaFileName(blockId, generationStamp));
  }
}

export function dataFileName(blockId: number): string {
  return `blk_${blockId}`;
}

export function metaFileName(blockId: number, generationStamp: number): string {
  return `blk_${blockId}_${generationStamp}.meta`;
}

const META_NAME = /^blk_(\d+)_(\d+)\.meta$/;

export function parseMetaFileName(name: string): { blockId: number; generationStamp: number } | undefined {
  const m = META_NAME.exec(name);
  if (!m) return undefined;
  return { blockId: Number(m[1]), generationStamp: Number(m[2]) };
}
