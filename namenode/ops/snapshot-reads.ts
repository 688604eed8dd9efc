import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import type { ContentSummary } from '../domain/content-summary';
import { BlockState, type Block, type LocatedBlocks } from '../domain/located-blocks';
import type { BlockVersion } from '../dal/block-version-repository';
import { fileNotFound } from '../errors';
import { DOT_SNAPSHOT, throughDotSnapshot } from '../path/dot-snapshot';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { liveAfter } from '../blocks/block-ops-support';
import { loadFileBlocks, locatedBlocks, type FileBlocks } from '../blocks/file-blocks';
import type { OpContext } from '../tx/op-context';
import { childrenAt, locateInSnapshot } from './snapshot-view';

/** The answer of an ordinary path: the caller serves it as usual. */
export const ORDINARY = Symbol('ordinary path');

/**
 * Whether `src` may be a read of a snapshot (cheap: no round trip). A text
 * without `.snapshot` anywhere is not parsed here: the ordinary read parses
 * it (and refuses it with the same error), once.
 */
export const mayReadSnapshot = (src: string): boolean => src.includes(DOT_SNAPSHOT) && throughDotSnapshot(parsePath(src));

/** getFileInfo through `.snapshot`: the `.snapshot` directory, a snapshot's root, or an inode as the snapshot saw it. */
export async function snapshotFileInfo(ctx: OpContext, caller: Caller, src: string): Promise<InodeRow | undefined | typeof ORDINARY> {
  const path = parsePath(src);
  return ctx.runner.read('getFileInfo', async (r) => {
    const at = await locateInSnapshot(r, caller, path);
    if (!at) return ORDINARY;
    return at.kind === 'snapshots' ? { ...at.dir, name: '' } : at.target;
  });
}

/** getListing through `.snapshot`: the snapshots themselves, or a directory as a snapshot saw it. */
export async function snapshotListing(
  ctx: OpContext,
  caller: Caller,
  src: string,
  startAfter: string,
): Promise<{ entries: InodeRow[]; remaining: number } | undefined | typeof ORDINARY> {
  const path = parsePath(src);
  const limit = ctx.config.listingLimit;
  return ctx.runner.read('getListing', async (r) => {
    const at = await locateInSnapshot(r, caller, path);
    if (!at) return ORDINARY;
    let all: InodeRow[];
    if (at.kind === 'snapshots') {
      all = at.snapshots.map((s) => ({ ...at.dir, name: s.name, mtime: s.createdAt }));
    } else {
      const dir = at.target;
      if (!dir) return undefined;
      if (!isDirectory(dir)) return { entries: [{ ...dir, name: '' }], remaining: 0 };
      checkAccess(caller, dir, FsAction.READ_EXECUTE, path.text);
      // A snapshot's directory is read whole: a page of it costs the directory, not the page (see README.md).
      all = await childrenAt(r, dir.id, at.snapshot.snapshotId, Number.MAX_SAFE_INTEGER);
    }
    const after = all.filter((e) => Buffer.compare(Buffer.from(e.name), Buffer.from(startAfter)) > 0);
    return { entries: after.slice(0, limit), remaining: Math.max(0, after.length - limit) };
  });
}

/** A file's blocks cut to the length a snapshot saw: an append after it added bytes the snapshot does not hold. */
function clipTo(fb: FileBlocks, length: number): FileBlocks {
  const blocks = [];
  let pos = 0;
  for (const b of fb.blocks) {
    if (pos >= length) break;
    blocks.push({ ...b, numBytes: Math.min(b.numBytes, length - pos) });
    pos += b.numBytes;
  }
  return { ...fb, blocks };
}

/**
 * A file's blocks as a snapshot reads them: at each index, the block
 * version with the smallest key at or after the snapshot (`kept`, ordered
 * by key: a truncate since took that block away), else the current block.
 */
function blocksAt(fb: FileBlocks, kept: readonly BlockVersion[]): FileBlocks {
  if (kept.length === 0) return fb;
  const byIndex = new Map<number, Block>(fb.blocks.map((b) => [b.index, b]));
  const versioned = new Set<number>();
  for (const v of kept) {
    if (versioned.has(v.index)) continue;
    versioned.add(v.index);
    byIndex.set(v.index, { inodeId: v.inodeId, index: v.index, blockId: v.blockId, genStamp: v.genStamp, numBytes: v.numBytes, state: BlockState.Complete });
  }
  return { ...fb, blocks: [...byIndex.values()].sort((a, b) => a.index - b.index) };
}

/** getBlockLocations of a file as a snapshot saw it: its blocks up to its length then. */
export async function snapshotBlockLocations(ctx: OpContext, caller: Caller, src: string, offset: number, length: number): Promise<LocatedBlocks | typeof ORDINARY> {
  const path = parsePath(src);
  return ctx.runner.read('getBlockLocations', async (r) => {
    const at = await locateInSnapshot(r, caller, path);
    if (!at) return ORDINARY;
    const file = at.kind === 'inSnapshot' ? at.target : undefined;
    if (!file || at.kind !== 'inSnapshot') throw fileNotFound(`File does not exist: ${path.text}`);
    if (!isFile(file)) throw fileNotFound(`Path is not a file: ${path.text}`);
    checkAccess(caller, file, FsAction.READ, path.text);
    const [fb, kept] = await Promise.all([loadFileBlocks(r, file.id, liveAfter(ctx, Date.now()), false), r.run(r.dal.blockVersions.findByInodeFrom(file.id, at.snapshot.snapshotId))]);
    return locatedBlocks(file, clipTo(blocksAt(fb, kept), file.length), offset, length);
  });
}

/**
 * getContentSummary of a path inside a snapshot: the tree as the snapshot
 * saw it, walked a directory at a time (no quotas: a snapshot has none).
 */
export async function snapshotContentSummary(ctx: OpContext, caller: Caller, src: string): Promise<ContentSummary | typeof ORDINARY> {
  const path = parsePath(src);
  return ctx.runner.read('getContentSummary', async (r) => {
    const at = await locateInSnapshot(r, caller, path);
    if (!at || at.kind === 'snapshots') return ORDINARY;
    const root = at.target;
    if (!root) throw fileNotFound(`File does not exist: ${path.text}`);
    let [length, files, directories, space] = [0, 0, 0, 0];
    const pending: InodeRow[] = [root];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (isDirectory(node)) {
        checkAccess(caller, node, FsAction.READ_EXECUTE, path.text);
        directories++;
        pending.push(...(await childrenAt(r, node.id, at.snapshot.snapshotId, Number.MAX_SAFE_INTEGER)));
      } else {
        files++;
        length += node.length;
        space += node.length * node.replication;
      }
    }
    return { length, fileCount: files, directoryCount: directories, quota: -1, spaceConsumed: space, spaceQuota: -1 };
  });
}
