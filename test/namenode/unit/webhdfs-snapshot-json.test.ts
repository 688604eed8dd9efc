import type { FileStatus } from '../../../namenode/domain/file-status';
import { snapshotDiffListingJson, snapshotDiffReportJson, snapshotListJson, snapshottableDirListJson } from '../../../namenode/http/webhdfs/snapshot-json';

const dir = (name: string): FileStatus => ({
  type: 'directory',
  name,
  length: 0,
  replication: 0,
  blockSize: 0,
  mtime: 5,
  atime: 0,
  permission: 0o755,
  owner: 'o',
  group: 'g',
  fileId: 9,
  childrenNum: 1,
  storagePolicy: 0,
  symlink: undefined,
  underConstruction: false,
  hasAcl: false,
});

/** The bodies JsonUtilClient (Hadoop 3.4) reads back: key names, enum names, nulls, as JsonUtil writes them. */
describe('WebHDFS snapshot JSON', () => {
  test('SnapshotDiffReport: DiffType by name, targetPath only for a rename', () => {
    expect(
      snapshotDiffReportJson('/r', 's1', '', [
        { label: 'M', source: '' },
        { label: 'R', source: 'a', target: 'b' },
        { label: '+', source: 'c' },
        { label: '-', source: 'd' },
      ]),
    ).toEqual({
      SnapshotDiffReport: {
        diffList: [
          { sourcePath: '', type: 'MODIFY' },
          { sourcePath: 'a', targetPath: 'b', type: 'RENAME' },
          { sourcePath: 'c', type: 'CREATE' },
          { sourcePath: 'd', type: 'DELETE' },
        ],
        fromSnapshot: 's1',
        snapshotRoot: '/r',
        toSnapshot: '',
      },
    });
  });

  test('SnapshotDiffReportListing: the three lists and the cursor', () => {
    const body = snapshotDiffListingJson({ modified: [{ dirId: 1, fileId: 1, path: '', isReference: true }], created: [], deleted: [{ dirId: 1, fileId: 2, path: 'x', isReference: false, target: 'y' }], isFromEarlier: true }, '', -1);
    expect(body).toEqual({
      SnapshotDiffReportListing: {
        createList: [],
        deleteList: [{ dirId: 1, fileId: 2, isReference: false, sourcePath: 'x', targetPath: 'y' }],
        isFromEarlier: true,
        lastIndex: -1,
        lastPath: '',
        modifyList: [{ dirId: 1, fileId: 1, isReference: true, sourcePath: '' }],
      },
    });
  });

  test('SnapshottableDirectoryList is null without any; SnapshotList names each snapshot by its own path', () => {
    expect(snapshottableDirListJson(undefined)).toEqual({ SnapshottableDirectoryList: null });
    expect(snapshottableDirListJson([{ dir: dir('r'), snapshotNumber: 2, snapshotQuota: 65536, parentFullPath: '/' }]).SnapshottableDirectoryList).toEqual([
      { dirStatus: expect.objectContaining({ pathSuffix: 'r', type: 'DIRECTORY' }), parentFullPath: '/', snapshotNumber: 2, snapshotQuota: 65536 },
    ]);
    const list = snapshotListJson([
      { dir: dir('s1'), snapshotId: 3, parentFullPath: '/r', isDeleted: false },
      { dir: dir('s2'), snapshotId: 4, parentFullPath: '/', isDeleted: true },
    ]).SnapshotList;
    expect(list.map((s) => [s.fullPath, s.deletionStatus, s.snapshotID])).toEqual([
      ['/r/.snapshot/s1', 'ACTIVE', 3],
      ['/.snapshot/s2', 'DELETED', 4],
    ]);
  });
});
