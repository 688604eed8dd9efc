import { isFile, type InodeRow } from '../dal/inode-row';
import type { Block } from '../domain/located-blocks';
import type { RetryKey } from '../domain/retry-key';
import { fileNotFound, illegalArgument, NamesystemError } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import type { LockedPath } from '../tx/lock-plan';
import type { OpContext } from '../tx/op-context';
import { prefixText } from '../tx/path-resolver';
import type { WriteContext } from '../tx/tx-contexts';
import { checkCount } from '../blocks/request-limits';
import { withChildDelta } from './directory-items';
import { policyUnder, quotaDirsOf } from '../quota/file-charge';
import { applyUsageDelta } from '../quota/usage-ledger';
import { sumUsage, usageOf } from '../domain/quota';
import { checkWriteTraverse } from './resolve-target';

/**
 * The most sources one concat may name. HDFS sets none; here every source
 * is a row locked in the one transaction, so the frame limit alone would let
 * one call lock tens of thousands of rows in one statement.
 */
export const MAX_CONCAT_SOURCES = 1024;

/** INodeFile.valueOf: what HDFS answers when a concat path is not a file. */
function fileAt(lp: LockedPath): InodeRow {
  const t = lp.target;
  if (!t) throw fileNotFound(`File does not exist: ${lp.path.text}`);
  if (!isFile(t)) throw fileNotFound(`Path is not a file: ${lp.path.text}`);
  return t;
}

/** resolvePath(DirOp.WRITE) on the target and on each source. */
const traverse = checkWriteTraverse;

/**
 * FSDirConcatOp.verifySrcFiles, in HDFS's order: each source readable, its
 * directory writable (the source goes), a closed non-empty file in the
 * target's directory, not the target, its block size no larger than the
 * target's; then no source twice.
 */
async function verifySources(
  caller: Caller,
  target: InodeRow,
  targetPath: HdfsPath,
  sources: readonly LockedPath[],
  tx: WriteContext,
): Promise<{ files: InodeRow[]; targetBlocks: number; sourceBlocks: number[] }> {
  const files: InodeRow[] = [];
  for (const lp of sources) {
    traverse(caller, lp);
    const src = lp.path.text;
    if (lp.target) checkAccess(caller, lp.target, FsAction.READ, src);
    if (lp.parent) checkAccess(caller, lp.parent, FsAction.WRITE, prefixText(lp.path, lp.path.components.length - 1));
    const file = fileAt(lp);
    if (file.parentId !== target.parentId) throw illegalArgument(`Source file ${src} is not in the same directory with the target ${targetPath.text}`);
    if (file.id === target.id) throw illegalArgument(`concat: the src file ${src} is the same with the target file ${targetPath.text}`);
    files.push(file);
  }
  const [targetBlocks, ...blocks] = (await tx.runAll([target, ...files].map((f) => tx.dal.blocks.findByInode(f.id)))) as Block[][];
  const sourceBlocks = blocks.map((b) => b.length);
  files.forEach((file, i) => {
    const src = (sources[i] as LockedPath).path.text;
    if (file.ucClient !== null || sourceBlocks[i] === 0) throw illegalArgument(`concat: source file ${src} is invalid or empty or underConstruction`);
    if (file.blockSize > target.blockSize) {
      throw illegalArgument(`concat: source file ${src} has preferred block size ${file.blockSize} which is greater than the target file's preferred block size ${target.blockSize}`);
    }
  });
  if (new Set(files.map((f) => f.id)).size < files.length) throw illegalArgument('concat: at least two of the source files are the same');
  return { files, targetBlocks: (targetBlocks as Block[]).length, sourceBlocks };
}

/**
 * ClientProtocol.concat: the sources' blocks are appended to the target in
 * the order given (their replicas and queued re-replications with them),
 * the sources are gone, all in one transaction. Blocks keep their ids, so
 * datanodes notice nothing; blocks of another replication are re-queued
 * at the target's, as HDFS's concatBlocks resets their replication.
 */
export async function concat(ctx: OpContext, caller: Caller, trg: string, srcs: readonly string[], retryKey?: RetryKey): Promise<void> {
  if (trg === '') throw new NamesystemError('JavaIllegalArgument', 'Target file name is empty');
  if (srcs.length === 0) throw new NamesystemError('JavaIllegalArgument', 'No sources given');
  checkCount('concat sources', srcs.length, MAX_CONCAT_SOURCES);
  const targetPath = parsePath(trg);
  const sourcePaths = srcs.map(parsePath);
  const specs = [targetPath, ...sourcePaths].map((path) => ({ path, parent: 'exclusive', target: 'exclusive' }) as const);
  await ctx.runner.write('concat', specs, async ([t, ...sources], tx) => {
    if (!t) throw new Error('unreachable');
    traverse(caller, t);
    if (t.target) checkAccess(caller, t.target, FsAction.WRITE, targetPath.text);
    const target = fileAt(t);
    if (target.ucClient !== null) throw illegalArgument(`concat: target file ${targetPath.text} is under construction`);
    const { files, targetBlocks, sourceBlocks } = await verifySources(caller, target, targetPath, sources, tx);
    const parent = t.parent as InodeRow;
    const { blocks, replicas, replicationQueue, xattrs } = tx.dal;
    let nextIndex = targetBlocks;
    files.forEach((file, i) => {
      tx.changes.delete(file);
      tx.changes.add(blocks.moveToInode(file.id, target.id, nextIndex), replicas.moveToInode(file.id, target.id), replicationQueue.moveToInode(file.id, target.id));
      nextIndex += sourceBlocks[i] as number;
    });
    tx.changes.add(xattrs.deleteByInodesBatched(files.map((f) => f.id)));
    if (files.some((f) => f.replication !== target.replication)) tx.changes.add(replicationQueue.enqueueFile(target.id, tx.now));
    const length = files.reduce((sum, f) => sum + f.length, target.length);
    tx.changes.update(target, { ...target, length, mtime: tx.now });
    // FSDirConcatOp: the sources' entries go; their bytes now count at the target's replication (checked).
    const dirs = quotaDirsOf(t.rows, targetPath, t.rows.length - 2);
    if (dirs.length > 0) {
      const policy = policyUnder(t.rows);
      const before = files.map((f) => ({ namespace: 1, bytes: f.length, replication: f.replication, storagePolicy: policy }));
      const after = files.map((f) => ({ namespace: 0, bytes: f.length, replication: target.replication, storagePolicy: policy }));
      await applyUsageDelta(tx, dirs, sumUsage(usageOf(after), usageOf(before, -1)));
    }
    const dirText = prefixText(targetPath, targetPath.components.length - 1);
    tx.changes.update(parent, withChildDelta({ ...parent, mtime: tx.now }, -files.length, ctx.config.maxDirectoryItems, dirText));
    tx.onCommit(() => sourcePaths.forEach((p) => ctx.runner.forgetPath(p)));
  }, { retryKey });
}
