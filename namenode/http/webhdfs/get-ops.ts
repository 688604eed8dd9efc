import type { XAttr } from '../../domain/xattr';
import type { DirectoryListing, FileStatus } from '../../domain/file-status';
import { fileNotFound } from '../../errors';
import { FsAction } from '../../security/permission-checker';
import { parseXAttrName, encodeXAttrValue, prefixedXAttrName, type XAttrEncoding } from './xattr-codec';
import { invalidParam } from './invalid-param';
import {
  aclStatusJson,
  blockLocationsJson,
  contentSummaryJson,
  fileStatusJson,
  directoryListingJson,
  locatedBlocksJson,
  pathJson,
  quotaUsageJson,
  serverDefaultsJson,
  storagePolicyJson,
} from './webhdfs-json';
import { SNAPSHOT_GET_OPS } from './snapshot-ops';
import { EMPTY, json, unsupportedOps, type WebHdfsCall, type WebHdfsOp } from './webhdfs-op';

const MAX_LONG = Number.MAX_SAFE_INTEGER;

const homeDirectory = (c: WebHdfsCall): string => `/user/${c.caller.user}`;

async function status(c: WebHdfsCall, followLink: boolean) {
  const s = followLink ? await c.ns.getFileInfo(c.caller, c.path) : await c.ns.getFileLinkInfo(c.caller, c.path);
  if (!s) throw fileNotFound(`File does not exist: ${c.path}`);
  return s;
}

/**
 * LISTSTATUS: every entry, page after page (the namenode's listing limit
 * each), written as they come so a large directory is never held whole.
 */
async function listStatus(c: WebHdfsCall) {
  let page: DirectoryListing | undefined = await c.ns.getListing(c.caller, c.path, '');
  if (!page) throw fileNotFound(`File ${c.path} does not exist.`);
  c.res.writeHead(200, { 'Content-Type': 'application/json' });
  c.res.write('{"FileStatuses":{"FileStatus":[');
  let first = true;
  for (;;) {
    for (const e of page.entries) {
      c.res.write(`${first ? '' : ','}${JSON.stringify(fileStatusJson(e))}`);
      first = false;
    }
    const last: FileStatus | undefined = page.entries[page.entries.length - 1];
    if (page.remaining === 0 || !last) break;
    const next: DirectoryListing | undefined = await c.ns.getListing(c.caller, c.path, last.name);
    if (!next) break;
    page = next;
  }
  c.res.end(']}}\n');
  return { streamed: true } as const;
}

async function open(c: WebHdfsCall) {
  const offset = c.params.int('offset', 0, 0, MAX_LONG);
  c.params.int('length', 0, 0, MAX_LONG);
  c.params.int('buffersize', 4096, 1, 0x7fffffff);
  const located = await c.ns.getBlockLocations(c.caller, c.path, offset, 1);
  const dn = await c.redirects.choose(located.blocks[0]?.locations);
  return { redirect: c.redirects.url(dn, 'OPEN', c.path, c.caller, c.params) };
}

async function fileChecksum(c: WebHdfsCall) {
  const located = await c.ns.getBlockLocations(c.caller, c.path, 0, 1);
  const dn = await c.redirects.choose(located.blocks[0]?.locations);
  return { redirect: c.redirects.url(dn, 'GETFILECHECKSUM', c.path, c.caller, c.params) };
}

async function getXAttrs(c: WebHdfsCall) {
  const encoding = c.params.oneOf<XAttrEncoding>('encoding', ['TEXT', 'HEX', 'BASE64'], 'TEXT', 'org.apache.hadoop.fs.XAttrCodec') ?? 'TEXT';
  const wanted: XAttr[] = c.params.all('xattr.name').map((n) => parseXAttrName('xattr.name', n));
  const xattrs = await c.ns.getXAttrs(c.caller, c.path, wanted);
  return json({ XAttrs: xattrs.map((x) => ({ name: prefixedXAttrName(x), value: x.value ? encodeXAttrValue(x.value, encoding) : null })) });
}

/** FsActionParam: `[r-][w-][x-]`. */
function fsAction(c: WebHdfsCall): FsAction {
  const v = c.params.str('fsaction') ?? '---';
  const m = /^([r-])([w-])([x-])$/.exec(v);
  if (!m) throw invalidParam('fsaction', v, `"${v}" does not match [r-][w-][x-]`);
  return ((m[1] === 'r' ? 4 : 0) | (m[2] === 'w' ? 2 : 0) | (m[3] === 'x' ? 1 : 0)) as FsAction;
}

/** GetOpParam.Op: the HTTP GET operations. */
export const GET_OPS: Readonly<Record<string, WebHdfsOp>> = {
  OPEN: open,
  GETFILESTATUS: async (c) => json({ FileStatus: fileStatusJson(await status(c, true)) }),
  GETFILELINKSTATUS: async (c) => json({ FileStatus: fileStatusJson(await status(c, false)) }),
  LISTSTATUS: listStatus,
  LISTSTATUS_BATCH: async (c) => {
    const page = await c.ns.getListing(c.caller, c.path, c.params.str('startafter') ?? '');
    if (!page) throw fileNotFound(`File ${c.path} does not exist.`);
    return json(directoryListingJson(page));
  },
  GETCONTENTSUMMARY: async (c) => json(contentSummaryJson(await c.ns.getContentSummary(c.caller, c.path))),
  GETQUOTAUSAGE: async (c) => json(quotaUsageJson(await c.ns.getQuotaUsage(c.caller, c.path))),
  GETFILECHECKSUM: fileChecksum,
  GETHOMEDIRECTORY: (c) => Promise.resolve(json(pathJson(homeDirectory(c)))),
  GETTRASHROOT: (c) => Promise.resolve(json(pathJson(`${homeDirectory(c)}/.Trash`))),
  GETFILEBLOCKLOCATIONS: async (c) => {
    const offset = c.params.int('offset', 0, 0, MAX_LONG);
    const length = c.params.int('length', MAX_LONG, 0, MAX_LONG);
    return json(blockLocationsJson(await c.ns.getBlockLocations(c.caller, c.path, offset, length)));
  },
  GET_BLOCK_LOCATIONS: async (c) => {
    const offset = c.params.int('offset', 0, 0, MAX_LONG);
    const length = c.params.int('length', MAX_LONG, 0, MAX_LONG);
    const [located, ns] = await Promise.all([c.ns.getBlockLocations(c.caller, c.path, offset, length), c.ns.namespace()]);
    return json(locatedBlocksJson(located, ns.blockPoolId));
  },
  GETXATTRS: getXAttrs,
  LISTXATTRS: async (c) => json({ XAttrNames: JSON.stringify((await c.ns.listXAttrs(c.caller, c.path)).map(prefixedXAttrName)) }),
  GETACLSTATUS: async (c) => json(aclStatusJson(await c.ns.getAclStatus(c.caller, c.path))),
  CHECKACCESS: async (c) => {
    await c.ns.checkAccess(c.caller, c.path, fsAction(c));
    return EMPTY;
  },
  GETSTORAGEPOLICY: async (c) => json({ BlockStoragePolicy: storagePolicyJson(await c.ns.getStoragePolicy(c.caller, c.path)) }),
  GETALLSTORAGEPOLICY: (c) => Promise.resolve(json({ BlockStoragePolicies: { BlockStoragePolicy: c.ns.getStoragePolicies().map(storagePolicyJson) } })),
  GETSERVERDEFAULTS: (c) => Promise.resolve(json(serverDefaultsJson(c.ns.getServerDefaults()))),
  GETLINKTARGET: async (c) => json(pathJson(await c.ns.getLinkTarget(c.caller, c.path))),
  // Hadoop's own test op: nothing to do.
  NULL: () => Promise.resolve(EMPTY),
  ...SNAPSHOT_GET_OPS,
  ...unsupportedOps([
    'GETDELEGATIONTOKEN',
    'GETECPOLICY',
    'GETECPOLICIES',
    'GETECCODECS',
    'GETSTATUS',
    'GETTRASHROOTS',
  ]),
};
