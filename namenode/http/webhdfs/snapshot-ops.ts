import { pathJson } from './webhdfs-json';
import { snapshotDiffListingJson, snapshotDiffReportJson, snapshotListJson, snapshottableDirListJson } from './snapshot-json';
import { EMPTY, json, type WebHdfsCall, type WebHdfsOp } from './webhdfs-op';

/**
 * The snapshot operations of NamenodeWebHdfsMethods, each one Namesystem
 * call. SnapshotNameParam and OldSnapshotNameParam default to "": an
 * empty name is the default name for createSnapshot, the current tree for
 * a diff, and refused by the Namesystem elsewhere, as over IPC.
 */
const snapshotName = (c: WebHdfsCall): string => c.params.str('snapshotname') ?? '';
const oldSnapshotName = (c: WebHdfsCall): string => c.params.str('oldsnapshotname') ?? '';

export const SNAPSHOT_PUT_OPS: Readonly<Record<string, WebHdfsOp>> = {
  ALLOWSNAPSHOT: async (c) => {
    await c.ns.allowSnapshot(c.caller, c.path);
    return EMPTY;
  },
  DISALLOWSNAPSHOT: async (c) => {
    await c.ns.disallowSnapshot(c.caller, c.path);
    return EMPTY;
  },
  CREATESNAPSHOT: async (c) => json(pathJson(await c.ns.createSnapshot(c.caller, c.path, snapshotName(c) || undefined))),
  RENAMESNAPSHOT: async (c) => {
    await c.ns.renameSnapshot(c.caller, c.path, oldSnapshotName(c), snapshotName(c));
    return EMPTY;
  },
};

export const SNAPSHOT_DELETE_OPS: Readonly<Record<string, WebHdfsOp>> = {
  DELETESNAPSHOT: async (c) => {
    await c.ns.deleteSnapshot(c.caller, c.path, snapshotName(c));
    return EMPTY;
  },
};

export const SNAPSHOT_GET_OPS: Readonly<Record<string, WebHdfsOp>> = {
  GETSNAPSHOTDIFF: async (c) => {
    const [from, to] = [oldSnapshotName(c), snapshotName(c)];
    return json(snapshotDiffReportJson(c.path, from, to, await c.ns.getSnapshotDiffReport(c.caller, c.path, from, to)));
  },
  // One page from the client's cursor (snapshotdiffstartpath, snapshotdiffindex); lastPath "" and lastIndex -1 end the listing.
  GETSNAPSHOTDIFFLISTING: async (c) => {
    const cursor = { startPath: c.params.str('snapshotdiffstartpath') ?? '', index: c.params.int('snapshotdiffindex', -1, -0x80000000, 0x7fffffff) };
    const listing = await c.ns.getSnapshotDiffReportListing(c.caller, c.path, oldSnapshotName(c), snapshotName(c), cursor);
    return json(snapshotDiffListingJson(listing, listing.next.startPath, listing.next.index));
  },
  GETSNAPSHOTTABLEDIRECTORYLIST: async (c) => json(snapshottableDirListJson(await c.ns.getSnapshottableDirListing(c.caller))),
  GETSNAPSHOTLIST: async (c) => json(snapshotListJson(await c.ns.getSnapshotListing(c.caller, c.path))),
};
