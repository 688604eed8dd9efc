/**
 * POSIX ACLs as HDFS has them (org.apache.hadoop.fs.permission.AclEntry).
 * The enum values are AclEntryProto's, so the wire maps one to one.
 */
export enum AclScope {
  Access = 0,
  Default = 1,
}

/** Declared in the order HDFS sorts an ACL by: user, group, mask, other. */
export enum AclType {
  User = 0,
  Group = 1,
  Mask = 2,
  Other = 3,
}

export interface AclEntry {
  readonly scope: AclScope;
  readonly type: AclType;
  /** A named user or group; undefined for the owner, owning group, mask and other. */
  readonly name: string | undefined;
  /** FsAction bits: 4 read, 2 write, 1 execute. */
  readonly permission: number;
}

/** What getAclStatus answers: the extended entries only, beside the permission bits. */
export interface AclStatus {
  readonly owner: string;
  readonly group: string;
  readonly sticky: boolean;
  readonly entries: readonly AclEntry[];
  readonly permission: number;
}
