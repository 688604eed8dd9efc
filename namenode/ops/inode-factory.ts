import { InodeType, type InodeRow } from '../dal/inode-row';
import type { Caller } from '../security/caller';
import { inheritDefaultAcl } from '../security/acl-storage';

/**
 * A create's or mkdirs' modes: the client's mode with its umask applied, and
 * (Hadoop 3 clients) without: under a default ACL the unmasked one is
 * filtered by the ACL instead of the umask (HDFS-6962).
 */
export interface CreateModes {
  readonly masked: number;
  readonly unmasked?: number | undefined;
}

/** A new inode under `parent`, its mode and ACL taken from `modes` and the parent's default ACL. */
export const withModes = (child: InodeRow, parent: InodeRow, modes: CreateModes): InodeRow =>
  inheritDefaultAcl(child, parent, modes.masked, modes.unmasked);

/** Hadoop's addImplicitUwx: directories made on the way get u+wx so the walk can go on. */
export const withImplicitUwx = (permission: number): number => permission | 0o300;

export function newDirectory(id: number, parent: InodeRow, name: string, permission: number, caller: Caller, now: number): InodeRow {
  return {
    id,
    parentId: parent.id,
    name,
    type: InodeType.Directory,
    permission: permission & 0o1777,
    owner: caller.user,
    // BSD semantics, as HDFS: a new entry takes its parent's group.
    group: parent.group,
    mtime: now,
    atime: 0,
    replication: 0,
    blockSize: 0,
    length: 0,
    storagePolicy: 0,
    symlink: null,
    ucClient: null,
    ucMachine: null,
    children: 0,
    acl: null,
  };
}

export interface NewFile {
  readonly permission: number;
  readonly replication: number;
  readonly blockSize: number;
  readonly clientName: string;
  readonly clientMachine: string;
  readonly storagePolicy: number;
}

export function newFile(id: number, parent: InodeRow, name: string, f: NewFile, caller: Caller, now: number): InodeRow {
  return {
    id,
    parentId: parent.id,
    name,
    type: InodeType.File,
    permission: f.permission & 0o1777,
    owner: caller.user,
    group: parent.group,
    mtime: now,
    atime: now,
    replication: f.replication,
    blockSize: f.blockSize,
    length: 0,
    storagePolicy: f.storagePolicy,
    symlink: null,
    ucClient: f.clientName,
    ucMachine: f.clientMachine,
    children: 0,
    acl: null,
  };
}

/**
 * Creates the missing directories of `components[from..to)` beneath
 * `parent`; each but the last holds the next one (children = 1).
 */
export async function makeDirectories(
  parent: InodeRow,
  components: readonly string[],
  from: number,
  to: number,
  modes: (depth: number) => CreateModes,
  caller: Caller,
  now: number,
  nextId: () => Promise<number>,
): Promise<InodeRow[]> {
  const made: InodeRow[] = [];
  let above = parent;
  for (let d = from; d < to; d++) {
    const m = modes(d);
    const dir = withModes(newDirectory(await nextId(), above, components[d] as string, m.masked, caller, now), above, m);
    made.push({ ...dir, children: d < to - 1 ? 1 : 0 });
    above = dir;
  }
  return made;
}
