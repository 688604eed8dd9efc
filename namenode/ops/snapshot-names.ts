import { illegalArgument, invalidPath, NamesystemError } from '../errors';
import { DOT_SNAPSHOT } from '../path/dot-snapshot';
import { MAX_COMPONENT_BYTES } from '../path/hdfs-path';


/** DirectorySnapshottableFeature.SNAPSHOT_QUOTA_DEFAULT. */
export const SNAPSHOT_QUOTA_DEFAULT = 65536;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * Snapshot.generateDefaultSnapshotName: "s'yyyyMMdd-HHmmss.SSS" in the
 * namenode's time zone, as Java's SimpleDateFormat formats it.
 */
export function defaultSnapshotName(now: Date): string {
  const date = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}`;
  const time = `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  return `s${date}-${time}`;
}

/**
 * FSDirSnapshotOp's checks of a snapshot name given by a client:
 * DFSUtil.isValidNameForComponent, then verifySnapshotName (no '/', not
 * ".snapshot", at most the component length limit).
 */
export function checkSnapshotName(name: string, rootPath: string): void {
  if (name === '.' || name === '..' || name.includes(':') || name.includes('/')) throw invalidPath(`Invalid snapshot name: ${name}`);
  if (name === DOT_SNAPSHOT) throw illegalArgument(`"${DOT_SNAPSHOT}" is a reserved name.`);
  const length = Buffer.byteLength(name, 'utf8');
  if (length > MAX_COMPONENT_BYTES) {
    throw new NamesystemError(
      'PathComponentTooLong',
      `The maximum path component name limit of ${name} in directory ${rootPath} is exceeded: limit=${MAX_COMPONENT_BYTES} length=${length}`,
    );
  }
}
