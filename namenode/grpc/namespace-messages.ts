import { nnfleet } from '../../protocol/generated/nnfleet-namespace';
import type { ChangeBatch, ChangeEvent } from '../domain/change-event';
import type { FileStatus, FileType } from '../domain/file-status';

const N = nnfleet.namespace.v1;

const FILE_TYPE: Readonly<Record<FileType, nnfleet.namespace.v1.FileType>> = {
  file: N.FileType.FILE_TYPE_FILE,
  directory: N.FileType.FILE_TYPE_DIRECTORY,
  symlink: N.FileType.FILE_TYPE_SYMLINK,
};

export function fileStatusMessage(s: FileStatus, name = s.name): nnfleet.namespace.v1.IFileStatus {
  return {
    name,
    type: FILE_TYPE[s.type],
    length: s.length,
    permission: s.permission,
    owner: s.owner,
    group: s.group,
    mtimeMs: s.mtime,
    atimeMs: s.atime,
    replication: s.replication,
    blockSize: s.blockSize,
    fileId: s.fileId,
    symlinkTarget: s.symlink ?? '',
    underConstruction: s.underConstruction,
    hasAcl: s.hasAcl,
  };
}

/** ChangeKind and MetadataKind number their values as inotify.proto does, and so does namespace.proto. */
function changeEventMessage(e: ChangeEvent): nnfleet.namespace.v1.IChangeEvent {
  const d = e.detail;
  return {
    kind: e.kind as number as nnfleet.namespace.v1.ChangeKind,
    path: e.path,
    dstPath: e.dstPath ?? '',
    type: d.inodeType !== undefined ? FILE_TYPE[d.inodeType] : N.FileType.FILE_TYPE_UNSPECIFIED,
    timestampMs: d.timestamp ?? d.mtime ?? 0,
    size: d.size ?? 0,
    owner: d.owner ?? '',
    group: d.group ?? '',
    permission: d.permission ?? 0,
    replication: d.replication ?? 0,
    metadataKind: (d.metadataKind ?? 0) as number as nnfleet.namespace.v1.MetadataKind,
    symlinkTarget: d.symlinkTarget ?? '',
    overwrite: d.overwrite ?? false,
  };
}

export const changeBatchMessage = (b: ChangeBatch, cursor: string): nnfleet.namespace.v1.IChangeBatch => ({
  cursor,
  position: b.position,
  events: b.events.map(changeEventMessage),
});
