import { isFile, InodeType } from '../dal/inode-row';
import {
  effectiveStoragePolicy,
  BLOCK_STORAGE_POLICIES,
  STORAGE_POLICY_UNSPECIFIED,
  storagePolicyById,
  storagePolicyByName,
  type BlockStoragePolicy,
} from '../domain/storage-policies';
import { STORAGE_TYPE_NAMES, StorageType } from '../domain/storage';
import { fileNotFound, illegalArgument, NamesystemError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { resolveTargetRows } from './resolve-target';
import { checkWriteTraverse } from './resolve-target';

/** BlockStoragePolicy.toString(), which HDFS puts in its messages. */
const describe = (p: BlockStoragePolicy): string => {
  const list = (types: readonly StorageType[]) => `[${types.map((t) => STORAGE_TYPE_NAMES[t]).join(', ')}]`;
  return `BlockStoragePolicy{${p.name}:${p.id}, storageTypes=${list(p.storageTypes)}, creationFallbacks=${list(p.creationFallbacks)}, replicationFallbacks=${list(p.replicationFallbacks)}}`;
};

/**
 * FSDirAttrOp.setStoragePolicy: WRITE on the target. A directory's policy
 * is inherited by everything beneath that names none; a copy-on-create
 * policy (LAZY_PERSIST) is never set on, nor changed away from, an
 * existing file.
 */
async function applyStoragePolicy(ctx: OpContext, caller: Caller, op: string, src: string, policyId: number): Promise<void> {
  const path = parsePath(src);
  await ctx.runner.write(op, [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkWriteTraverse(caller, lp);
    const target = lp.target;
    if (!target) throw fileNotFound(`File/Directory does not exist: ${path.text}`);
    checkAccess(caller, target, FsAction.WRITE, path.text);
    if (isFile(target)) {
      const wanted = storagePolicyById(policyId);
      if (policyId !== STORAGE_POLICY_UNSPECIFIED && wanted?.copyOnCreateFile) {
        throw illegalArgument(`Policy ${describe(wanted)} cannot be set after file creation.`);
      }
      const current = storagePolicyById(target.storagePolicy);
      if (current?.copyOnCreateFile) throw illegalArgument(`Existing policy ${current.name} cannot be changed after file creation.`);
    }
    tx.changes.update(target, { ...target, storagePolicy: policyId });
  });
}

export function setStoragePolicy(ctx: OpContext, caller: Caller, src: string, policyName: string): Promise<void> {
  const policy = storagePolicyByName(policyName);
  if (!policy) throw illegalArgument(`Cannot find a block policy with the name ${policyName}`);
  return applyStoragePolicy(ctx, caller, 'setStoragePolicy', src, policy.id);
}

export function unsetStoragePolicy(ctx: OpContext, caller: Caller, src: string): Promise<void> {
  return applyStoragePolicy(ctx, caller, 'unsetStoragePolicy', src, STORAGE_POLICY_UNSPECIFIED);
}

/** The policy `src` lives under: its own or inherited, the default (HOT) when none is set on the way. */
export async function getStoragePolicy(ctx: OpContext, caller: Caller, src: string): Promise<BlockStoragePolicy> {
  const path = parsePath(src);
  return ctx.runner.read('getStoragePolicy', async (r) => {
    const { target, rows } = await resolveTargetRows(r, caller, path, false);
    if (!target) throw fileNotFound(`File/Directory does not exist: ${path.text}`);
    // INodeSymlink.getStoragePolicyID throws this.
    if (target.type === InodeType.Symlink) throw new NamesystemError('Unsupported', 'Storage policy are not supported on symlinks');
    checkAccess(caller, target, FsAction.READ, path.text);
    const policy = storagePolicyById(effectiveStoragePolicy(rows.map((row) => row.storagePolicy)));
    if (!policy) throw new Error(`unknown storage policy id on ${path.text}`);
    return policy;
  });
}

export const getStoragePolicies = (): readonly BlockStoragePolicy[] => BLOCK_STORAGE_POLICIES;
