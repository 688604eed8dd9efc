import type { AclEntry } from './acl';
import type { FileType } from './file-status';

/** An xattr an event carries (inotify's XAttrProto); the value base64, absent when empty or too large to keep. */
export interface ChangedXAttr {
  readonly namespace: number;
  readonly name: string;
  readonly value?: string;
}

/** HDFS inotify's event types (inotify.proto EventType), stored in `change_log.kind`. */
export enum ChangeKind {
  Create = 0,
  Close = 1,
  Append = 2,
  Rename = 3,
  Metadata = 4,
  Unlink = 5,
  Truncate = 6,
}

/** inotify.proto MetadataUpdateType. */
export enum MetadataKind {
  Times = 0,
  Replication = 1,
  Owner = 2,
  Perms = 3,
  Acls = 4,
  Xattrs = 5,
}

/** What an event carries besides its kind and paths (the fields HDFS's events have). */
export interface ChangeDetail {
  readonly inodeType?: FileType;
  readonly timestamp?: number;
  readonly replication?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly permission?: number;
  readonly symlinkTarget?: string;
  readonly overwrite?: boolean;
  readonly blockSize?: number;
  readonly size?: number;
  readonly metadataKind?: MetadataKind;
  readonly mtime?: number;
  readonly atime?: number;
  /** An ACL change's stored entries (named and default ones; empty when the ACL was removed). */
  readonly acl?: readonly AclEntry[];
  /** An xattr change's xattrs: the ones set, or (xattrsRemoved) the ones removed. */
  readonly xattrs?: readonly ChangedXAttr[];
  readonly xattrsRemoved?: boolean;
}

/** One change a transaction made, as it commits. */
export interface ChangeEvent {
  readonly kind: ChangeKind;
  readonly path: string;
  /** A rename's destination. */
  readonly dstPath?: string;
  readonly detail: ChangeDetail;
}

/** A committed transaction's events and its position in the log (HDFS's EventBatch: one txid, several events). */
export interface ChangeBatch {
  readonly position: number;
  readonly events: readonly ChangeEvent[];
}
