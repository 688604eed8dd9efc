import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfsEnv } from '../harness/go-hdfs';
import { ensureGoProgram } from '../harness/go-programs';
import { toolPath } from '../harness/prerequisite';
import { runProcess } from '../harness/process-fixture';

/**
 * The Go HDFS library's snapshot calls (test/go/snapshot) against a namenode
 * with real datanodes: allow, create, the old bytes read back through
 * `.snapshot` while the file has been replaced, writes under `.snapshot`
 * and HDFS's refusals answered with their Java exception classes, delete,
 * disallow. The library has no renameSnapshot nor diff/listing calls.
 */
jest.setTimeout(180_000);

const GO_SNAPSHOT = toolPath('bin/nnfleet-snapshot');
let f: DataFleet;

beforeAll(async () => {
  // Built before the fleet: the build blocks this process, which hosts the namenode.
  ensureGoProgram('snapshot', GO_SNAPSHOT);
  f = await dataFleet('gosnap', 1, { replication: 1 });
}, 600_000);
afterAll(async () => {
  await f?.close();
});

test('AllowSnapshots, CreateSnapshot, reads through .snapshot, DeleteSnapshot, DisallowSnapshots', async () => {
  const run = await runProcess(GO_SNAPSHOT, ['/go/snap'], { env: hdfsEnv(f.address, f.superuser), timeoutMs: 120_000 });
  process.stdout.write(`nnfleet-snapshot:\n${run.stdout}${run.stderr}`);
  expect([run.code, run.stderr]).toEqual([0, '']);
  const steps = Object.fromEntries(
    run.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
  );
  expect(steps).toEqual({
    'create on a plain dir': 'org.apache.hadoop.hdfs.protocol.SnapshotException: Directory is not a snapshottable directory: /go/snap',
    created: '/go/snap/.snapshot/s1',
    'create s1 again': 'org.apache.hadoop.hdfs.protocol.SnapshotException: Failed to add snapshot: there is already a snapshot with the same name "s1".',
    'old f': '"before\\n"',
    f: '"after, and longer\\n"',
    'old f size': '7',
    'old g': 'stat /go/snap/.snapshot/s1/g: file does not exist',
    'ls s1': 'f',
    'ls .snapshot': 's1',
    'mkdir in snapshot': 'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException: Modification on a read-only snapshot is disallowed',
    'remove in snapshot': 'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException: Modification on a read-only snapshot is disallowed',
    'disallow with snapshots': 'org.apache.hadoop.hdfs.protocol.SnapshotException: The directory /go/snap has snapshot(s). Please redo the operation after removing all the snapshots.',
    'delete s1 again': 'org.apache.hadoop.hdfs.protocol.SnapshotException: Cannot delete snapshot s1 from path /go/snap: the snapshot does not exist.',
    'deleted s1 f': 'stat /go/snap/.snapshot/s1/f: file does not exist',
    'create after disallow': 'org.apache.hadoop.hdfs.protocol.SnapshotException: Directory is not a snapshottable directory: /go/snap',
  });
});
