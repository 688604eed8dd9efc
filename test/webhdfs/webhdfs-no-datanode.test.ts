import { curl } from '../harness/curl';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * A namenode with no datanode serving WebHDFS: the namespace operations
 * work, and the ones that need a datanode (CREATE, OPEN) are refused with
 * NamenodeWebHdfsMethods.chooseDatanode's IOException, nothing created.
 */
describe('WebHDFS without datanodes', () => {
  let nn: NamenodeFixture;
  let base: string;

  beforeAll(async () => {
    nn = await namenodeFixture('webhdfs-nodn');
    base = `http://127.0.0.1:${nn.namenode.httpPort}/webhdfs/v1`;
  }, 60_000);

  afterAll(async () => {
    await nn?.close();
  });

  test('MKDIRS works; CREATE is refused with IOException (403) and creates nothing', async () => {
    expect((await curl(['-X', 'PUT', `${base}/t?op=MKDIRS&user.name=${nn.superuser}`])).json).toEqual({ boolean: true });
    const create = await curl(['-X', 'PUT', `${base}/t/f?op=CREATE&user.name=${nn.superuser}`]);
    expect([create.status, create.json]).toEqual([
      403,
      { RemoteException: { exception: 'IOException', javaClassName: 'java.io.IOException', message: 'Failed to find datanode, suggest to check cluster health.' } },
    ]);
    const listing = await curl([`${base}/t?op=LISTSTATUS&user.name=${nn.superuser}`]);
    expect(listing.json).toEqual({ FileStatuses: { FileStatus: [] } });
  });
});
