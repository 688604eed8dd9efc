import { userInfo } from 'node:os';
import { javaProgram } from '../harness/java-hadoop';
import { upFleet, type UpFleet } from '../harness/up-fleet';

/**
 * The FileSystem / FileContext API as applications call it
 * (tools/java/src/FileSystemChecks.java, one JVM): reading a file while it
 * is written after hflush (the client asks a datanode's ClientDatanodeProtocol
 * for the visible length of the last block, over a connection it opens with
 * SASL because it holds a block token), append, listLocatedStatus against
 * getFileBlockLocations, rename with and without OVERWRITE, and the
 * exception classes applications catch.
 */
describe('Java FileSystem API against nnfleet', () => {
  let up: UpFleet;

  beforeAll(async () => {
    up = await upFleet('nnjava-api', { namenodes: 2, datanodes: 3 });
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
  });

  test('every check of FileSystemChecks passes', async () => {
    const run = await javaProgram('FileSystemChecks', ['/api'], { confDir: up.fleet.clientConfigDir, user: userInfo().username });
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('ok '))).toEqual(['all checks passed']);
    expect(lines.length).toBe(12);
    expect(run.code).toBe(0);
  }, 120_000);
});
