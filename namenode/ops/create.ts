import type { RetryKey } from '../domain/retry-key';
import { isDirectory, type InodeRow } from '../dal/inode-row';
import { removeInodes } from './remove-inodes';
import { alreadyExists, fileNotFound, ioError, NamesystemError, parentNotDirectory } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkTraverse, FsAction } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import { addedTo } from './directory-items';
import { fileBytes, inodeCharge, policyUnder, quotaDirsOf } from '../quota/file-charge';
import { applyUsageDelta } from '../quota/usage-ledger';
import { sumUsage, usageOf } from '../domain/quota';
import { makeDirectories, newFile, withImplicitUwx, withModes } from './inode-factory';
import type { OpContext } from '../tx/op-context';

/** CreateFlagProto */
export const CreateFlag = { CREATE: 1, OVERWRITE: 2, APPEND: 4 } as const;

export interface CreateRequest {
  readonly src: string;
  readonly masked: number;
  /** The mode before the umask (Hadoop 3 clients): a default ACL above takes it instead. */
  readonly unmasked?: number | undefined;
  readonly clientName: string;
  readonly clientMachine: string;
  readonly flags: number;
  readonly createParent: boolean;
  readonly replication: number;
  readonly blockSize: number;
  readonly storagePolicy?: number;
}

export function checkReplication(ctx: OpContext, replication: number, src: string, clientMachine: string): void {
  if (replication > ctx.config.maxReplication) {
    throw ioError(`Requested replication factor of ${replication} exceeds maximum of ${ctx.config.maxReplication} for ${src} from ${clientMachine}`);
  }
  if (replication < ctx.config.minReplication) {
    throw ioError(`Requested replication factor of ${replication} is less than the required minimum of ${ctx.config.minReplication} for ${src} from ${clientMachine}`);
  }
}

/**
 * Hadoop 3.4's recoverLeaseInternal(CREATE_FILE) for a file still open: its
 * own writer recreating it, or another client's live lease. (Hadoop recovers a
 * lease past its soft limit here; nnfleet's leader does past the hard limit.)
 */
function beingCreated(src: string, req: CreateRequest, old: InodeRow): NamesystemError {
  const reason =
    old.ucClient === req.clientName ? `${req.clientName} is already the current lease holder.` : `this file lease is currently owned by ${old.ucClient ?? ''} on ${old.ucMachine ?? ''}`;
  return new NamesystemError('AlreadyBeingCreated', `Failed to CREATE_FILE ${src} for ${req.clientName} on ${req.clientMachine} because ${reason}`);
}

export async function create(ctx: OpContext, caller: Caller, req: CreateRequest, retryKey?: RetryKey): Promise<InodeRow> {
  const path = parsePath(req.src);
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  if (!req.clientName) throw new NamesystemError('IllegalArgument', 'create: clientName must be set');
  checkReplication(ctx, req.replication, path.text, req.clientMachine);
  // Only the minimum bounds it (FSNamesystem.startFileInt): that bytes-per-checksum divides the
  // block size is the Java client's own check (DFSOutputStream); the Go client sends any size.
  if (req.blockSize < ctx.config.minBlockSize) {
    throw ioError(`Specified block size is less than configured minimum value (dfs.namenode.fs-limits.min-block-size): ${req.blockSize} < ${ctx.config.minBlockSize}`);
  }
  const overwrite = (req.flags & CreateFlag.OVERWRITE) !== 0;
  if (n === 0) throw alreadyExists(`/ already exists as a directory`);
  // The directory created into is read unlocked and touched last (directory-items.ts), exact: locked.
  const specs = (exact: boolean) => [{ path, parent: exact ? 'exclusive' : 'none', target: 'exclusive', touchesParent: true }] as const;
  return ctx.runner.write('create', specs, async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const k = lp.rows.length - 1;
    // DirOp.CREATE: resolvePath's traverse check throws its ParentNotDirectoryException as it is.
    if (lp.throughFile) throw parentNotDirectory(`${prefix(k)} (is not a directory)`);
    const deepest = lp.rows[Math.min(k, n - 1)] as InodeRow;
    checkTraverse(caller, lp.rows, Math.min(k, n - 1) + 1, prefix);
    checkAccess(caller, deepest, FsAction.WRITE, prefix(Math.min(k, n - 1)));
    const old = lp.target;
    let replaced: InodeRow | undefined;
    if (old) {
      if (isDirectory(old)) throw alreadyExists(`${path.text} already exists as a directory`);
      if (!overwrite) {
        if (old.ucClient !== null) throw beingCreated(path.text, req, old);
        throw alreadyExists(`${path.text} for client ${req.clientMachine} already exists`);
      }
      checkAccess(caller, old, FsAction.WRITE, path.text);
      await removeInodes(tx, [old], true);
      replaced = old;
    } else if (k < n - 1) {
      if (!req.createParent) throw fileNotFound(`Parent directory doesn't exist: ${prefix(n - 1)}`);
    }
    const made = await makeDirectories(deepest, path.components, Math.min(k, n - 1), n - 1, () => ({ masked: withImplicitUwx(req.masked) }), caller, tx.now, () => ctx.inodeIds.next());
    // The last new directory holds the file.
    const lastMade = made.pop();
    if (lastMade) made.push({ ...lastMade, children: lastMade.children + 1 });
    for (const dir of made) tx.changes.insert(dir);
    const parent = made[made.length - 1] ?? deepest;
    const file = withModes(newFile(
      await ctx.inodeIds.next(),
      parent,
      path.components[n - 1] as string,
      {
        permission: req.masked,
        replication: req.replication,
        blockSize: req.blockSize,
        clientName: req.clientName,
        clientMachine: req.clientMachine,
        storagePolicy: req.storagePolicy ?? 0,
      },
      caller,
      tx.now,
    ), parent, { masked: req.masked, unmasked: ctx.config.posixAclInheritance ? req.unmasked : undefined });
    tx.changes.insert(file);
    // deepest gains the first new directory, or the file (which replaces an overwritten one).
    const gained = made.length > 0 || !old ? 1 : 0;
    // HDFS's addLastINode: the item limit first, then the quotas.
    addedTo(tx, deepest, gained, ctx.config.maxDirectoryItems, prefix(Math.min(k, n - 1)));
    const quotaDirs = quotaDirsOf(lp.rows, path, Math.min(k, n - 1));
    if (quotaDirs.length > 0) {
      const policy = policyUnder(lp.rows.slice(0, Math.min(k, n - 1) + 1));
      const gone = replaced ? usageOf([inodeCharge(replaced, policyUnder(lp.rows, replaced.storagePolicy), fileBytes(replaced, replaced.ucClient === null ? undefined : await tx.run(tx.dal.blocks.findByInode(replaced.id))))], -1) : new Map();
      await applyUsageDelta(tx, quotaDirs, sumUsage(usageOf([...made, file].map((r) => inodeCharge(r, policy))), gone));
    }
    tx.changes.add(tx.dal.leases.upsert(req.clientName, tx.now));
    tx.changes.add(tx.dal.leases.insertPath(file.id, req.clientName));
    tx.onCommit(() => {
      made.forEach((dir, i) => ctx.runner.rememberPath(parsePath(prefix(k + i + 1)), dir));
      // The writer's addBlock and complete then lock the file with no read before (hinted-path.ts).
      ctx.runner.rememberPath(path, file);
    });
    return file;
  }, { retryKey });
}
