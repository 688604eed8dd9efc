import { InodeType, type InodeRow } from '../dal/inode-row';
import type { Caller } from '../security/caller';

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
  permission: (depth: number) => number,
  caller: Caller,
  now: number,
  nextId: () => Promise<number>,
): Promise<InodeRow[]> {
  const made: InodeRow[] = [];
  let above = parent;
  for (let d = from; d < to; d++) {
    const dir = newDirectory(await nextId(), above, components[d] as string, permission(d), caller, now);
    made.push({ ...dir, children: d < to - 1 ? 1 : 0 });
    above = dir;
  }
  return made;
}
