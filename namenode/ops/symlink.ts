import { SYMLINK_TARGET_MAX_BYTES } from '../../schema/tables';
import { InodeType, type InodeRow } from '../dal/inode-row';
import type { RetryKey } from '../domain/retry-key';
import { accessDenied, fileNotFound, invalidPath, ioError, isNamesystemError } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkTraverse, FsAction } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { prefixText, resolutionTarget } from '../tx/path-resolver';
import { linkInPath } from '../tx/unresolved-link';
import { addedTo } from './directory-items';
import { inodeCharge, quotaDirsOf } from '../quota/file-charge';
import { applyUsageDelta } from '../quota/usage-ledger';
import { usageOf } from '../domain/quota';
import { makeDirectories, withImplicitUwx } from './inode-factory';
import { statusOf } from './status';

const RESERVED = '/.reserved';

/** A link as HDFS makes one: rwx for all (links have no permissions of their own), the parent's group. */
function newSymlink(id: number, parent: InodeRow, name: string, target: string, caller: Caller, now: number): InodeRow {
  return {
    id,
    parentId: parent.id,
    name,
    type: InodeType.Symlink,
    permission: 0o777,
    acl: null,
    owner: caller.user,
    group: parent.group,
    mtime: now,
    atime: now,
    replication: 0,
    blockSize: 0,
    length: 0,
    storagePolicy: 0,
    symlink: target,
    ucClient: null,
    ucMachine: null,
    children: 0,
  };
}

/** DFSUtil.isValidName on the link, with FSDirSymlinkOp's message. */
function parseLinkPath(link: string): HdfsPath {
  try {
    return parsePath(link);
  } catch (e) {
    if (isNamesystemError(e, 'InvalidPath')) throw invalidPath(`Invalid link name: ${link}`);
    throw e;
  }
}

/**
 * FSDirSymlinkOp.createSymlinkInt: the link path is taken as it is (a link
 * in its last component is not followed: that name is taken, an
 * IOException as HDFS); the target is any non-empty text outside
 * /.reserved, never checked for existence.
 */
export async function createSymlink(
  ctx: OpContext,
  caller: Caller,
  target: string,
  link: string,
  dirPerm: number,
  createParent: boolean,
  retryKey?: RetryKey,
): Promise<void> {
  const path = parseLinkPath(link);
  if (target === '' || target === RESERVED || target.startsWith(`${RESERVED}/`)) throw invalidPath(`Invalid target name: ${target}`);
  // HDFS keeps any target; a row keeps so many bytes (a refusal, never a database error).
  if (Buffer.byteLength(target, 'utf8') > SYMLINK_TARGET_MAX_BYTES) throw ioError(`Symlink target exceeds ${SYMLINK_TARGET_MAX_BYTES} bytes`);
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  const taken = () => ioError(`failed to create link ${path.text} either because the filename is invalid or the file exists`);
  if (n === 0) throw taken();
  const specs = (exact: boolean) => [{ path, parent: exact ? 'exclusive' : 'none', target: 'exclusive', followLink: false, touchesParent: true }] as const;
  await ctx.runner.write('createSymlink', specs, async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const k = lp.rows.length - 1;
    const deepestDepth = Math.min(k, n - 1);
    checkTraverse(caller, lp.rows, deepestDepth + 1, prefix);
    // DirOp.WRITE_LINK is no create: HDFS turns its ParentNotDirectoryException into an AccessControlException.
    if (lp.throughFile) throw accessDenied(`${prefix(k)} (is not a directory)`);
    if (!createParent && k < n - 1) throw fileNotFound(`Parent directory doesn't exist: ${prefix(n - 1)}`);
    if (lp.target) throw taken();
    const deepest = lp.rows[deepestDepth] as InodeRow;
    checkAccess(caller, deepest, FsAction.WRITE, prefix(deepestDepth));
    const made = await makeDirectories(deepest, path.components, deepestDepth, n - 1, () => ({ masked: withImplicitUwx(dirPerm) }), caller, tx.now, () => ctx.inodeIds.next());
    const lastMade = made.pop();
    if (lastMade) made.push({ ...lastMade, children: lastMade.children + 1 });
    for (const dir of made) tx.changes.insert(dir);
    const parent = made[made.length - 1] ?? deepest;
    const link = newSymlink(await ctx.inodeIds.next(), parent, path.components[n - 1] as string, target, caller, tx.now);
    tx.changes.insert(link);
    addedTo(tx, deepest, 1, ctx.config.maxDirectoryItems, prefix(deepestDepth));
    await applyUsageDelta(tx, quotaDirsOf(lp.rows, path, deepestDepth), usageOf([...made, link].map((r) => inodeCharge(r, 0))));
    tx.onCommit(() => made.forEach((dir, i) => ctx.runner.rememberPath(parsePath(prefix(deepestDepth + i + 1)), dir)));
  }, { retryKey });
}

/** The status of `src` itself, a link included (getFileInfo follows a final link: it refuses one). */
export async function getFileLinkInfo(ctx: OpContext, caller: Caller, src: string): Promise<InodeRow | undefined> {
  const path = parsePath(src);
  return ctx.runner.read('getFileLinkInfo', (r) => statusOf(r, caller, path, false));
}

/** Hadoop's Path normalisation of an absolute path: `.` and `..` resolved, no empty components. */
function normalize(absolute: string): string {
  const out: string[] = [];
  for (const part of absolute.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const hasScheme = (p: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(p);

/**
 * UnresolvedPathException.getResolvedPath: the link at `depth` replaced by
 * its target, relative targets taken from the link's directory, the rest of
 * the path appended.
 */
export function resolvedPath(path: HdfsPath, depth: number, linkTarget: string): string {
  const remainder = path.components.slice(depth).join('/');
  const base = hasScheme(linkTarget)
    ? linkTarget.replace(/\/+$/, '')
    : normalize(linkTarget.startsWith('/') ? linkTarget : `${prefixText(path, depth - 1)}/${linkTarget}`);
  if (remainder === '') return base;
  return base.endsWith('/') ? base + remainder : `${base}/${remainder}`;
}

/**
 * NameNodeRpcServer.getLinkTarget: a final link's target as stored; for a
 * path through a link in an earlier component, the path with that link
 * resolved (what the client then asks about).
 */
export async function getLinkTarget(ctx: OpContext, caller: Caller, src: string): Promise<string> {
  const path = parsePath(src);
  return ctx.runner.read('getLinkTarget', async (r) => {
    const res = await r.resolve(path);
    checkTraverse(caller, res.rows, Math.min(res.rows.length, path.components.length), (d) => prefixText(path, d));
    const link = linkInPath(path, res.rows, false);
    if (link) return resolvedPath(path, res.rows.length - 1, link.symlink ?? '');
    const target = resolutionTarget(res);
    if (!target) throw fileNotFound(`File does not exist: ${path.text}`);
    if (target.type !== InodeType.Symlink) throw ioError(`Path ${path.text} is not a symbolic link`);
    return target.symlink ?? '';
  });
}
