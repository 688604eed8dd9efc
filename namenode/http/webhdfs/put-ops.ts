import { XAttrSetFlag } from '../../domain/xattr';
import { QUOTA_DONT_SET } from '../../domain/quota';
import { STORAGE_TYPE_NAMES, type StorageType } from '../../domain/storage';
import { illegalArgument, NamesystemError } from '../../errors';
import { parseAclSpec } from './acl-spec';
import { invalidParam } from './invalid-param';
import type { WebHdfsParams } from '../../../protocol/webhdfs/webhdfs-params';
import { booleanJson } from './webhdfs-json';
import { decodeXAttrValue, parseXAttrName } from './xattr-codec';
import { SNAPSHOT_PUT_OPS } from './snapshot-ops';
import { EMPTY, json, unsupportedOps, type WebHdfsCall, type WebHdfsOp } from './webhdfs-op';

/** PermissionParam's defaults in Hadoop 3: 0755 for a directory, 0644 for a file; no umask applies. */
const DIR_PERMISSION = 0o755;
const FILE_PERMISSION = 0o644;
const MAX_LONG = Number.MAX_SAFE_INTEGER;

/** NameSpaceQuotaParam, StorageSpaceQuotaParam: a long; absent, HdfsConstants.QUOTA_DONT_SET. */
function quotaParam(params: WebHdfsParams, name: string): bigint {
  const v = params.str(name);
  if (v === undefined) return QUOTA_DONT_SET;
  const n = /^-?\d{1,19}$/.test(v) ? BigInt(v) : undefined;
  if (n === undefined || n > QUOTA_DONT_SET) throw invalidParam(name, v, `Failed to parse "${v}" as a radix-10 long integer.`);
  return n;
}

/** DestinationParam: an absolute path. */
function destination(params: WebHdfsParams): string {
  const d = params.required('destination');
  if (!d.startsWith('/')) throw invalidParam('destination', d, `Invalid parameter value: destination = "${d}" is not an absolute path.`);
  return d;
}

async function rename(c: WebHdfsCall) {
  const dst = destination(c.params);
  const options = (c.params.str('renameoptions') ?? '')
    .split(',')
    .filter((o) => o !== '')
    .map((o) => o.toUpperCase());
  for (const o of options) if (!['NONE', 'OVERWRITE', 'TO_TRASH'].includes(o)) throw invalidParam('renameoptions', o, `No enum constant org.apache.hadoop.fs.Options.Rename.${o}`);
  if (options.length === 0) return json(booleanJson(await c.ns.rename(c.caller, c.path, dst)));
  await c.ns.rename2(c.caller, c.path, dst, options.includes('OVERWRITE'), undefined, options.includes('TO_TRASH'));
  return EMPTY;
}

/** XAttrSetFlagParam: comma-separated CREATE, REPLACE. */
function xattrFlags(params: WebHdfsParams): number {
  let flags = 0;
  for (const f of (params.str('flag') ?? '').split(',').filter((x) => x !== '')) {
    const upper = f.toUpperCase();
    if (upper !== 'CREATE' && upper !== 'REPLACE') throw invalidParam('flag', f, `No enum constant org.apache.hadoop.fs.XAttrSetFlag.${upper}`);
    flags |= XAttrSetFlag[upper];
  }
  return flags;
}

const aclOp =
  (run: (c: WebHdfsCall) => Promise<void>): WebHdfsOp =>
  async (c) => {
    await run(c);
    return EMPTY;
  };

/** PutOpParam.Op: the HTTP PUT operations. */
export const PUT_OPS: Readonly<Record<string, WebHdfsOp>> = {
  // Step one of two: where to send the data. The datanode creates the file (validated here first).
  CREATE: async (c) => {
    c.params.permission('permission', FILE_PERMISSION);
    c.params.bool('overwrite', false);
    c.params.bool('createparent', true);
    c.params.int('replication', 0, 0, 0x7fff);
    c.params.int('blocksize', 0, 0, MAX_LONG);
    const dn = await c.redirects.choose();
    return { redirect: c.redirects.url(dn, 'CREATE', c.path, c.caller, c.params) };
  },
  MKDIRS: async (c) => {
    const perm = c.params.permission('permission', DIR_PERMISSION);
    const unmasked = c.params.str('unmaskedpermission') === undefined ? undefined : c.params.permission('unmaskedpermission', DIR_PERMISSION);
    return json(booleanJson(await c.ns.mkdirs(c.caller, c.path, perm, true, unmasked)));
  },
  CREATESYMLINK: async (c) => {
    // PermissionParam.getDefaultSymLinkFsPermission: 0777.
    await c.ns.createSymlink(c.caller, c.params.required('destination'), c.path, 0o777, c.params.bool('createparent', false));
    return EMPTY;
  },
  RENAME: rename,
  SETREPLICATION: async (c) => {
    const replication = c.params.int('replication', c.ns.getServerDefaults().replication, 0, 0x7fff);
    return json(booleanJson(await c.ns.setReplication(c.caller, c.path, replication)));
  },
  SETOWNER: async (c) => {
    const owner = c.params.str('owner');
    const group = c.params.str('group');
    if (owner === undefined && group === undefined) throw new NamesystemError('JavaIllegalArgument', 'Both owner and group are empty.');
    await c.ns.setOwner(c.caller, c.path, owner, group);
    return EMPTY;
  },
  SETPERMISSION: async (c) => {
    await c.ns.setPermission(c.caller, c.path, c.params.permission('permission', DIR_PERMISSION));
    return EMPTY;
  },
  SETTIMES: async (c) => {
    await c.ns.setTimes(c.caller, c.path, c.params.int('modificationtime', -1, -1, MAX_LONG), c.params.int('accesstime', -1, -1, MAX_LONG));
    return EMPTY;
  },
  SETXATTR: async (c) => {
    const name = parseXAttrName('xattr.name', c.params.required('xattr.name'));
    const raw = c.params.str('xattr.value');
    await c.ns.setXAttr(c.caller, c.path, { ...name, value: raw === undefined ? undefined : decodeXAttrValue('xattr.value', raw) }, xattrFlags(c.params));
    return EMPTY;
  },
  REMOVEXATTR: async (c) => {
    await c.ns.removeXAttr(c.caller, c.path, parseXAttrName('xattr.name', c.params.required('xattr.name')));
    return EMPTY;
  },
  MODIFYACLENTRIES: aclOp((c) => c.ns.modifyAclEntries(c.caller, c.path, parseAclSpec(c.params.required('aclspec'), true))),
  REMOVEACLENTRIES: aclOp((c) => c.ns.removeAclEntries(c.caller, c.path, parseAclSpec(c.params.required('aclspec'), false))),
  REMOVEDEFAULTACL: aclOp((c) => c.ns.removeDefaultAcl(c.caller, c.path)),
  REMOVEACL: aclOp((c) => c.ns.removeAcl(c.caller, c.path)),
  SETACL: aclOp((c) => c.ns.setAcl(c.caller, c.path, parseAclSpec(c.params.required('aclspec'), true))),
  SETQUOTA: async (c) => {
    await c.ns.setQuota(c.caller, { path: c.path, namespaceQuota: quotaParam(c.params, 'namespacequota'), storagespaceQuota: quotaParam(c.params, 'storagespacequota') });
    return EMPTY;
  },
  SETQUOTABYSTORAGETYPE: async (c) => {
    const names = Object.values(STORAGE_TYPE_NAMES);
    const type = c.params.oneOf('storagetype', names, undefined, 'org.apache.hadoop.fs.StorageType');
    if (type === undefined) throw invalidParam('storagetype', '', 'Storage type must be set');
    const storageType = Number(Object.entries(STORAGE_TYPE_NAMES).find(([, n]) => n === type)?.[0]) as StorageType;
    await c.ns.setQuota(c.caller, { path: c.path, namespaceQuota: QUOTA_DONT_SET, storagespaceQuota: quotaParam(c.params, 'storagespacequota'), storageType });
    return EMPTY;
  },
  SETSTORAGEPOLICY: async (c) => {
    const name = c.params.str('storagepolicy');
    if (name === undefined) throw illegalArgument('Policy name cannot be null or empty');
    await c.ns.setStoragePolicy(c.caller, c.path, name);
    return EMPTY;
  },
  ...SNAPSHOT_PUT_OPS,
  ...unsupportedOps([
    'RENEWDELEGATIONTOKEN',
    'CANCELDELEGATIONTOKEN',
    'ENABLEECPOLICY',
    'DISABLEECPOLICY',
    'SETECPOLICY',
    'SATISFYSTORAGEPOLICY',
  ]),
};
