import type { RetryKey } from '../domain/retry-key';
import type { XAttrRow } from '../dal/xattr-repository';
import { XAttrNamespace, XAttrSetFlag, type XAttr } from '../domain/xattr';
import { isDirectory, type InodeRow } from '../dal/inode-row';
import { ChangeKind, MetadataKind, type ChangeEvent } from '../domain/change-event';
import { TYPE_OF } from '../domain/file-status-of-row';
import { accessDenied, fileNotFound, illegalArgument, ioError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction, STICKY_BIT } from '../security/permission-checker';
import { resolveReadTargetAt } from './snapshot-view';
import { xattrsAt } from './snapshot-xattrs';
import type { OpContext } from '../tx/op-context';
import { checkWriteTraverse } from './resolve-target';
import { StaleResolution } from '../tx/stale-resolution';

const prefixed = (x: Pick<XAttr, 'namespace' | 'name'>) => `${(XAttrNamespace[x.namespace] ?? 'unknown').toLowerCase()}.${x.name}`;

const UNREADABLE_BY_SUPERUSER = 'hdfs.unreadable.by.superuser';

/** Hadoop's XAttrPermissionFilter: which namespaces a client may touch. */
function checkNamespace(caller: Caller, x: Pick<XAttr, 'namespace' | 'name'>): void {
  const ok =
    x.namespace === XAttrNamespace.USER ||
    (x.namespace === XAttrNamespace.TRUSTED && caller.isSuperuser) ||
    (x.namespace === XAttrNamespace.SECURITY && x.name === UNREADABLE_BY_SUPERUSER) ||
    (x.namespace === XAttrNamespace.RAW && caller.isSuperuser);
  if (!ok) throw accessDenied(`User doesn't have permission for xattr: ${prefixed(x)}`);
}

const visibleTo = (caller: Caller, x: XAttrRow): boolean =>
  x.namespace === XAttrNamespace.USER ||
  x.namespace === XAttrNamespace.SECURITY ||
  (caller.isSuperuser && (x.namespace === XAttrNamespace.TRUSTED || x.namespace === XAttrNamespace.RAW));

/** `xattrs.name` is a varbinary(255): a longer name is refused here, not by the database. */
const MAX_XATTR_NAME_BYTES = 255;

/**
 * Hadoop's FSDirXAttrOp.checkXAttrSize (name with its namespace prefix plus
 * value within dfs.namenode.fs-limits.max-xattr-size), and the stored name's
 * own limit; checked before any transaction starts.
 */
function checkXAttrSize(ctx: OpContext, x: XAttr): void {
  const nameBytes = Buffer.byteLength(x.name);
  if (nameBytes > MAX_XATTR_NAME_BYTES) {
    throw illegalArgument(`The XAttr name is too long. The maximum length of the name is ${MAX_XATTR_NAME_BYTES} bytes, but it is ${nameBytes}`);
  }
  const size = Buffer.byteLength(prefixed(x)) + (x.value?.length ?? 0);
  if (size > ctx.config.maxXAttrSize) {
    throw illegalArgument(`The XAttr is too big. The maximum combined size of the name and value is ${ctx.config.maxXAttrSize}, but the total size is ${size}`);
  }
}

/** Changing xattrs of a sticky directory is for its owner only; otherwise WRITE. */
function checkChangeAccess(caller: Caller, target: InodeRow, pathText: string): void {
  if (isDirectory(target) && (target.permission & STICKY_BIT) !== 0 && !caller.isSuperuser && target.owner !== caller.user) {
    throw accessDenied(`Can't modify xattrs of ${pathText} because the sticky bit is set and user ${caller.user} is not its owner`);
  }
  checkAccess(caller, target, FsAction.WRITE, pathText);
}

/** HDFS inotify's MetadataUpdateEvent of type XATTRS: the xattrs set, or the ones removed (with the values they had, as FSDirXAttrOp logs them). */
function xattrEvent(path: string, target: InodeRow, xattrs: readonly XAttr[], removed: boolean): ChangeEvent {
  return {
    kind: ChangeKind.Metadata,
    path,
    detail: {
      metadataKind: MetadataKind.Xattrs,
      inodeType: TYPE_OF[target.type],
      xattrs: xattrs.map((x) => ({ namespace: x.namespace, name: x.name, ...(x.value && x.value.length > 0 ? { value: x.value.toString('base64') } : {}) })),
      xattrsRemoved: removed,
    },
  };
}

export async function setXAttr(ctx: OpContext, caller: Caller, src: string, x: XAttr, flags: number, retryKey?: RetryKey): Promise<void> {
  checkNamespace(caller, x);
  checkXAttrSize(ctx, x);
  const path = parsePath(src);
  await ctx.runner.write('setXAttr', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkWriteTraverse(caller, lp);
    if (!lp.target) throw fileNotFound(`File does not exist: ${path.text}`);
    checkChangeAccess(caller, lp.target, path.text);
    const existing = await tx.run(tx.dal.xattrs.findByInode(lp.target.id));
    const present = existing.some((e) => e.namespace === x.namespace && e.name === x.name);
    if (present && (flags & XAttrSetFlag.REPLACE) === 0) {
      throw ioError(`XAttr: ${prefixed(x)} already exists. The REPLACE flag must be specified.`);
    }
    if (!present && (flags & XAttrSetFlag.CREATE) === 0) {
      throw ioError(`XAttr: ${prefixed(x)} does not exist. The CREATE flag must be specified.`);
    }
    const userVisible = existing.filter((e) => e.namespace !== XAttrNamespace.SYSTEM && e.namespace !== XAttrNamespace.RAW).length;
    if (!present && userVisible + 1 > ctx.config.maxXAttrsPerInode) {
      throw ioError(`Cannot add additional XAttr to inode, would exceed limit of ${ctx.config.maxXAttrsPerInode}`);
    }
    tx.changes.changeXAttrs(lp.target);
    tx.changes.add(tx.dal.xattrs.upsert({ inodeId: lp.target.id, namespace: x.namespace, name: x.name, value: x.value ?? null }));
    tx.changes.note(xattrEvent(path.text, lp.target, [x], false));
  }, { retryKey });
}

export async function removeXAttr(ctx: OpContext, caller: Caller, src: string, x: XAttr, retryKey?: RetryKey): Promise<void> {
  checkNamespace(caller, x);
  checkXAttrSize(ctx, x);
  const path = parsePath(src);
  await ctx.runner.write('removeXAttr', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkWriteTraverse(caller, lp);
    if (!lp.target) throw fileNotFound(`File does not exist: ${path.text}`);
    checkChangeAccess(caller, lp.target, path.text);
    const existing = await tx.run(tx.dal.xattrs.findByInode(lp.target.id));
    const removed = existing.find((e) => e.namespace === x.namespace && e.name === x.name);
    if (!removed) throw ioError('No matching attributes found for remove operation');
    tx.changes.note(xattrEvent(path.text, lp.target, [{ namespace: x.namespace, name: x.name, value: removed.value ?? undefined }], true));
    tx.changes.changeXAttrs(lp.target);
    tx.changes.add(tx.dal.xattrs.deleteByPk({ inodeId: lp.target.id, namespace: x.namespace, name: x.name }));
  }, { retryKey });
}

/**
 * The visible xattrs of `src`, for getXAttrs and listXAttrs alike: Hadoop 3's
 * FSDirXAttrOp asks both for READ on the path itself, and both hand out the
 * stored values (XAttrFormat.toXAttrs leaves an empty value unset, so the
 * wire's XAttrProto carries none).
 */
async function readXAttrs(ctx: OpContext, caller: Caller, op: string, src: string): Promise<XAttr[]> {
  const path = parsePath(src);
  const rows = await ctx.runner.read(op, async (r) => {
    const { target, snapshotId, rows: chain } = await resolveReadTargetAt(r, caller, path);
    if (!target) throw fileNotFound(`File does not exist: ${path.text}`);
    checkAccess(caller, target, FsAction.READ, path.text);
    // Through .snapshot: the xattrs as the snapshot saw them (namenode/snapshot/README.md).
    if (snapshotId !== undefined) return ((await xattrsAt(r, [target.id], snapshotId)).get(target.id) ?? []).filter((x) => visibleTo(caller, x));
    // The path's rows are checked again in the xattrs' own statement: resolved first (perhaps from the
    // cache), a file deleted or moved before the xattrs were read would else answer "no xattrs", a state
    // it never had. Changed meanwhile: resolve again (the change committed, so the cache has dropped it).
    const rows = chain ? await r.run(r.dal.xattrs.findByInodeOnPath(chain.slice(1), target.id)) : await r.run(r.dal.xattrs.findByInode(target.id));
    if (rows === undefined) throw new StaleResolution(path.text);
    return rows.filter((x) => visibleTo(caller, x));
  });
  return rows.map((x) => ({ namespace: x.namespace as XAttrNamespace, name: x.name, ...(x.value && x.value.length > 0 ? { value: x.value } : {}) }));
}

/** All visible xattrs, or exactly the ones asked for (every one must exist). */
export async function getXAttrs(ctx: OpContext, caller: Caller, src: string, wanted: readonly XAttr[]): Promise<XAttr[]> {
  // No inode holds more than maxXAttrsPerInode visible xattrs: a longer list cannot all be found.
  if (wanted.length > ctx.config.maxXAttrsPerInode) {
    throw illegalArgument(`Asked for ${wanted.length} xattrs; an inode holds at most ${ctx.config.maxXAttrsPerInode}`);
  }
  for (const w of wanted) {
    checkNamespace(caller, w);
    checkXAttrSize(ctx, w);
  }
  const out = await readXAttrs(ctx, caller, 'getXAttrs', src);
  if (wanted.length === 0) return out;
  const picked = wanted.map((w) => out.find((x) => x.namespace === w.namespace && x.name === w.name));
  if (picked.some((p) => p === undefined)) throw ioError('At least one of the attributes provided was not found.');
  return picked as XAttr[];
}

/** Values included, as HDFS's namenode sends them (its DFSClient.listXAttrs keeps only the names). */
export function listXAttrs(ctx: OpContext, caller: Caller, src: string): Promise<XAttr[]> {
  return readXAttrs(ctx, caller, 'listXAttrs', src);
}
