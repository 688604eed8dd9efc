import { hadoop } from '../../protocol/generated/hadoop';
import { protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { Namesystem } from '../namesystem';
import type { DiffListingEntry } from '../domain/snapshot-diff';
import type { Caller } from '../security/caller';
import { retryKey } from './call-retry-key';
import { toStatusProto } from './status-proto';

const H = hadoop.hdfs;

/** The snapshot calls of ClientProtocol, spread into the ClientProtocol handler map (create, delete and rename are at-most-once, as in HDFS). */
export function snapshotHandlers(ns: Namesystem, as: (ctx: RpcCallContext) => Caller): Record<string, RpcHandler> {
  return {
    allowSnapshot: protoHandler(H.AllowSnapshotRequestProto, H.AllowSnapshotResponseProto, async (ctx, req) => {
      await ns.allowSnapshot(as(ctx), req.snapshotRoot);
      return {};
    }),
    disallowSnapshot: protoHandler(H.DisallowSnapshotRequestProto, H.DisallowSnapshotResponseProto, async (ctx, req) => {
      await ns.disallowSnapshot(as(ctx), req.snapshotRoot);
      return {};
    }),
    createSnapshot: protoHandler(H.CreateSnapshotRequestProto, H.CreateSnapshotResponseProto, async (ctx, req) => ({
      snapshotPath: await ns.createSnapshot(as(ctx), req.snapshotRoot, req.snapshotName ?? undefined, retryKey(ctx)),
    })),
    deleteSnapshot: protoHandler(H.DeleteSnapshotRequestProto, H.DeleteSnapshotResponseProto, async (ctx, req) => {
      await ns.deleteSnapshot(as(ctx), req.snapshotRoot, req.snapshotName, retryKey(ctx));
      return {};
    }),
    renameSnapshot: protoHandler(H.RenameSnapshotRequestProto, H.RenameSnapshotResponseProto, async (ctx, req) => {
      await ns.renameSnapshot(as(ctx), req.snapshotRoot, req.snapshotOldName, req.snapshotNewName, retryKey(ctx));
      return {};
    }),
    // HDFS answers no listing at all (not an empty one) when the namespace has no snapshottable directory.
    getSnapshottableDirListing: protoHandler(H.GetSnapshottableDirListingRequestProto, H.GetSnapshottableDirListingResponseProto, async (ctx) => {
      const dirs = await ns.getSnapshottableDirListing(as(ctx));
      if (!dirs) return { snapshottableDirList: null };
      return {
        snapshottableDirList: {
          snapshottableDirListing: dirs.map((d) => ({
            dirStatus: toStatusProto(d.dir),
            snapshotQuota: d.snapshotQuota,
            snapshotNumber: d.snapshotNumber,
            parentFullpath: Buffer.from(d.parentFullPath, 'utf8'),
          })),
        },
      };
    }),
    getSnapshotListing: protoHandler(H.GetSnapshotListingRequestProto, H.GetSnapshotListingResponseProto, async (ctx, req) => {
      const snapshots = await ns.getSnapshotListing(as(ctx), req.snapshotRoot);
      return {
        snapshotList: {
          snapshotListing: snapshots.map((s) => ({
            dirStatus: toStatusProto(s.dir),
            snapshotID: s.snapshotId,
            parentFullpath: Buffer.from(s.parentFullPath, 'utf8'),
            isDeleted: s.isDeleted,
          })),
        },
      };
    }),
    getSnapshotDiffReport: protoHandler(H.GetSnapshotDiffReportRequestProto, H.GetSnapshotDiffReportResponseProto, async (ctx, req) => {
      const entries = await ns.getSnapshotDiffReport(as(ctx), req.snapshotRoot, req.fromSnapshot, req.toSnapshot);
      return {
        diffReport: {
          snapshotRoot: req.snapshotRoot,
          fromSnapshot: req.fromSnapshot,
          toSnapshot: req.toSnapshot,
          diffReportEntries: entries.map((e) => ({
            fullpath: Buffer.from(e.source, 'utf8'),
            modificationLabel: e.label,
            ...(e.target === undefined ? {} : { targetPath: Buffer.from(e.target, 'utf8') }),
          })),
        },
      };
    }),
    // A page from the request's cursor; the cursor answered (empty path, index -1) tells DistributedFileSystem the listing is complete.
    getSnapshotDiffReportListing: protoHandler(H.GetSnapshotDiffReportListingRequestProto, H.GetSnapshotDiffReportListingResponseProto, async (ctx, req) => {
      const cursor = req.cursor ? { startPath: Buffer.from(req.cursor.startPath ?? []).toString('utf8'), index: req.cursor.index ?? -1 } : undefined;
      const listing = await ns.getSnapshotDiffReportListing(as(ctx), req.snapshotRoot, req.fromSnapshot, req.toSnapshot, cursor);
      const entry = (e: DiffListingEntry) => ({
        fullpath: Buffer.from(e.path, 'utf8'),
        dirId: e.dirId,
        fileId: e.fileId,
        isReference: e.isReference,
        ...(e.target === undefined ? {} : { targetPath: Buffer.from(e.target, 'utf8') }),
      });
      return {
        diffReport: {
          modifiedEntries: listing.modified.map(entry),
          createdEntries: listing.created.map(entry),
          deletedEntries: listing.deleted.map(entry),
          isFromEarlier: listing.isFromEarlier,
          cursor: { startPath: Buffer.from(listing.next.startPath, 'utf8'), index: listing.next.index },
        },
      };
    }),
  };
}
