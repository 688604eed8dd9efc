import { userInfo } from 'node:os';
import { javaProgram, javaStdout, type JavaRunOptions } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

/**
 * HDFS inotify from Hadoop's Java client (HdfsAdmin.getInotifyEventStream,
 * DFSInotifyEventInputStream) on nnfleet's change log, through haproxy to
 * two namenodes: the stream sees the creates, the close, the rename, the
 * permission change and the delete, in commit order, with txids that grow;
 * a user who is not the superuser may not open it (as HDFS).
 */
describe('Java client: HDFS inotify', () => {
  let up: UpFleet;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-inotify', { namenodes: 2, datanodes: 1 });
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
  });

  test('DFSInotifyEventInputStream sees create, close, rename, metadata and unlink', async () => {
    const out = await javaStdout(javaProgram('InotifyCheck', ['/ino'], { ...as, timeoutMs: 120_000 }));
    process.stdout.write(out);
    const lines = out.trim().split('\n');
    expect(lines[lines.length - 1]).toBe('done=true');
    const events = lines.slice(0, -1).map((l) => l.slice(l.indexOf(' ') + 1));
    expect(events).toEqual([
      `CREATE /ino DIRECTORY ${as.user} rwxr-xr-x`,
      `CREATE /ino/f FILE ${as.user} rw-r--r--`,
      'CLOSE /ino/f 13',
      'RENAME /ino/f /ino/g',
      'METADATA /ino/g PERMS rw-------',
      'UNLINK /ino/g',
    ]);
    const txids = lines.slice(0, -1).map((l) => Number(l.slice(0, l.indexOf(' '))));
    for (let i = 1; i < txids.length; i++) expect(txids[i]).toBeGreaterThan(txids[i - 1] as number);
  }, 180_000);

  test('only the superuser may open the stream', async () => {
    expect((await javaStdout(javaProgram('InotifyCheck', ['/ino-denied', 'denied'], { ...as, user: 'bob' }))).trim()).toBe('denied=org.apache.hadoop.security.AccessControlException');
  }, 120_000);
});
