import { invalidParam } from './invalid-param';
import { booleanJson } from './webhdfs-json';
import { SNAPSHOT_DELETE_OPS } from './snapshot-ops';
import { EMPTY, json, unsupportedOps, type WebHdfsOp } from './webhdfs-op';

const MAX_LONG = Number.MAX_SAFE_INTEGER;

/** PostOpParam.Op: the HTTP POST operations. */
export const POST_OPS: Readonly<Record<string, WebHdfsOp>> = {
  // Step one of two: the datanode holding the last block (any live one for an empty file) appends.
  APPEND: async (c) => {
    c.params.int('buffersize', 4096, 1, 0x7fffffff);
    const s = await c.ns.getFileInfo(c.caller, c.path);
    const located = s && s.type === 'file' && s.length > 0 ? await c.ns.getBlockLocations(c.caller, c.path, s.length - 1, 1) : undefined;
    const dn = await c.redirects.choose(located?.blocks[0]?.locations);
    return { redirect: c.redirects.url(dn, 'APPEND', c.path, c.caller, c.params) };
  },
  CONCAT: async (c) => {
    const sources = (c.params.str('sources') ?? '').split(',').filter((s) => s !== '');
    for (const s of sources) if (!s.startsWith('/')) throw invalidParam('sources', s, `"${s}" is not an absolute path`);
    await c.ns.concat(c.caller, c.path, sources);
    return EMPTY;
  },
  TRUNCATE: async (c) => {
    const newLength = c.params.int('newlength', -1, 0, MAX_LONG);
    if (newLength < 0) throw invalidParam('newlength', '', 'the parameter "newlength" is required');
    // The lease a truncate needs while its last block is recovered: held in the caller's web client's name.
    return json(booleanJson(await c.ns.truncate(c.caller, c.path, newLength, `WebHDFS_${c.caller.user}`)));
  },
  UNSETSTORAGEPOLICY: async (c) => {
    await c.ns.unsetStoragePolicy(c.caller, c.path);
    return EMPTY;
  },
  ...unsupportedOps(['UNSETECPOLICY', 'SETSTORAGEPOLICIES']),
};

/** DeleteOpParam.Op: the HTTP DELETE operations. */
export const DELETE_OPS: Readonly<Record<string, WebHdfsOp>> = {
  DELETE: async (c) => json(booleanJson(await c.ns.delete(c.caller, c.path, c.params.bool('recursive', false)))),
  ...SNAPSHOT_DELETE_OPS,
};
