import type { IpcServer } from '../../protocol/ipc/server';
import { GO_HDFS } from '../harness/go-hdfs';
import { describeIf, prerequisite } from '../harness/prerequisite';
import { execProcess } from '../harness/process-fixture';
import { startTestServer } from './ipc-test-service';

const goHdfs = prerequisite('the Go hdfs client', GO_HDFS, 'scripts/install-deps.sh');

/** The Go HDFS client is an independent implementation of the client side of Hadoop IPC. */
describeIf(goHdfs)('Go HDFS client against IpcServer', () => {
  let server: IpcServer;
  let port: number;

  beforeAll(async () => {
    ({ server, port } = await startTestServer());
  });

  afterAll(async () => {
    await server.close();
  });

  function hdfs(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return execProcess(goHdfs as string, args, {
      env: { ...process.env, HADOOP_NAMENODE: `127.0.0.1:${port}`, HADOOP_USER_NAME: 'alice', HADOOP_CONF_DIR: '/nonexistent' },
      timeoutMs: 20_000,
    });
  }

  it('lists a directory (getFileInfo + getListing)', async () => {
    const { stdout } = await hdfs('ls', '-l', '/');
    expect(stdout).toMatch(/drwxr-xr-x\s+hdfs\s+supergroup.*tmp/);
  });

  it('maps java.io.FileNotFoundException to os.ErrNotExist (so the class name is exact)', async () => {
    await expect(hdfs('ls', '/missing')).rejects.toMatchObject({ stderr: 'stat /missing: file does not exist\n' });
  });

  it('reports an unmapped error with its class and error code', async () => {
    await expect(hdfs('mkdir', '/x')).rejects.toMatchObject({
      stderr: 'mkdir /x: mkdirs call failed with ERROR_APPLICATION (java.io.IOException)\n',
    });
  });
});
