import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToSaturatedNumber } from '../../protocol/long-values';
import { protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import { aclEntryProto } from './acl-handlers';
import { ChangeKind, type ChangeBatch, type ChangeEvent } from '../domain/change-event';
import type { FileType } from '../domain/file-status';
import type { Namesystem } from '../namesystem';
import type { CallerResolver } from '../security/caller-resolver';

const H = hadoop.hdfs;

const INODE_TYPE: Readonly<Record<FileType, hadoop.hdfs.INodeType>> = {
  file: H.INodeType.I_TYPE_FILE,
  directory: H.INodeType.I_TYPE_DIRECTORY,
  symlink: H.INodeType.I_TYPE_SYMLINK,
};

/** One event as inotify.proto's message of its type, serialized into EventProto.contents. */
export function contentsOf(e: ChangeEvent): Uint8Array {
  const d = e.detail;
  const at = d.timestamp ?? 0;
  switch (e.kind) {
    case ChangeKind.Create:
      return H.CreateEventProto.encode({
        type: INODE_TYPE[d.inodeType ?? 'file'],
        path: e.path,
        ctime: at,
        ownerName: d.owner ?? '',
        groupName: d.group ?? '',
        perms: { perm: d.permission ?? 0 },
        replication: d.replication ?? 0,
        ...(d.symlinkTarget !== undefined ? { symlinkTarget: d.symlinkTarget } : {}),
        overwrite: d.overwrite ?? false,
        defaultBlockSize: d.blockSize ?? 0,
        erasureCoded: false,
      }).finish();
    case ChangeKind.Close:
      return H.CloseEventProto.encode({ path: e.path, fileSize: d.size ?? 0, timestamp: at }).finish();
    case ChangeKind.Truncate:
      return H.TruncateEventProto.encode({ path: e.path, fileSize: d.size ?? 0, timestamp: at }).finish();
    case ChangeKind.Append:
      return H.AppendEventProto.encode({ path: e.path, newBlock: false }).finish();
    case ChangeKind.Rename:
      return H.RenameEventProto.encode({ srcPath: e.path, destPath: e.dstPath ?? '', timestamp: at }).finish();
    case ChangeKind.Unlink:
      return H.UnlinkEventProto.encode({ path: e.path, timestamp: at }).finish();
    case ChangeKind.Metadata:
      return H.MetadataUpdateEventProto.encode({
        path: e.path,
        type: (d.metadataKind ?? 0) as number as hadoop.hdfs.MetadataUpdateType,
        ...(d.mtime !== undefined ? { mtime: d.mtime } : {}),
        ...(d.atime !== undefined ? { atime: d.atime } : {}),
        ...(d.replication !== undefined ? { replication: d.replication } : {}),
        ...(d.owner !== undefined ? { ownerName: d.owner, groupName: d.group ?? '' } : {}),
        ...(d.permission !== undefined ? { perms: { perm: d.permission } } : {}),
        acls: (d.acl ?? []).map(aclEntryProto),
        xAttrs: (d.xattrs ?? []).map((x) => ({
          namespace: x.namespace as hadoop.hdfs.XAttrProto.XAttrNamespaceProto,
          name: x.name,
          ...(x.value !== undefined ? { value: Buffer.from(x.value, 'base64') } : {}),
        })),
        xAttrsRemoved: d.xattrsRemoved ?? false,
      }).finish();
  }
}

/** inotify.proto's EventType numbers are ChangeKind's. */
const batchProto = (b: ChangeBatch): hadoop.hdfs.IEventBatchProto => ({
  txid: b.position,
  events: b.events.map((e) => ({ type: e.kind as number as hadoop.hdfs.EventType, contents: contentsOf(e) })),
});

/**
 * HDFS inotify (DFSInotifyEventInputStream) on the change log: the
 * current txid is its last position; the events from a txid on are its
 * batches (one per committed transaction). firstTxid/lastTxid are -1 when
 * there is nothing new, as HDFS answers; a first batch above the txid
 * asked for tells the client events were trimmed (MissingEventsException).
 */
export function inotifyHandlers(ns: Namesystem, callers: CallerResolver): Record<string, RpcHandler> {
  const as = (ctx: RpcCallContext) => callers.resolve(ctx);
  return {
    getCurrentEditLogTxid: protoHandler(H.GetCurrentEditLogTxidRequestProto, H.GetCurrentEditLogTxidResponseProto, async (ctx) => ({ txid: await ns.getCurrentEditLogTxid(as(ctx)) })),
    getEditsFromTxid: protoHandler(H.GetEditsFromTxidRequestProto, H.GetEditsFromTxidResponseProto, async (ctx, req) => {
      // Any long is a txid HDFS accepts: one before the first reads from the oldest kept, one past the head reads nothing yet.
      const { batches, head } = await ns.getEditsFromTxid(as(ctx), int64ToSaturatedNumber(req.txid));
      const first = batches[0];
      const last = batches[batches.length - 1];
      return {
        eventsList: {
          events: [],
          firstTxid: first ? first.position : -1,
          lastTxid: last ? last.position : -1,
          syncTxid: head,
          batch: batches.map(batchProto),
        },
      };
    }),
  };
}
