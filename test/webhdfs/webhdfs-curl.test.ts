import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl, type CurlResult } from '../harness/curl';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { payload } from '../harness/payload';

const BLOCK = 131_072;

/**
 * WebHDFS with curl, as a shell script uses it: the raw two-step CREATE
 * (307 from the namenode, the body PUT to the datanode it names), OPEN
 * followed to a datanode with offset and length, and the RemoteException
 * JSON with the status of each Hadoop exception class a failure maps to.
 */
describe('WebHDFS over curl', () => {
  let fleet: DataFleet;
  let local: string;
  let base: string;
  const data = payload(3 * BLOCK + 4321, 7);

  const url = (path: string, query: string) => `${base}${path}?${query}`;
  const get = (path: string, query: string, extra: string[] = []) => curl([...extra, url(path, query)]);
  const put = (path: string, query: string, extra: string[] = []) => curl(['-X', 'PUT', ...extra, url(path, query)]);
  const expectRemote = (r: CurlResult, status: number, javaClassName: string) => {
    expect({ status: r.status, type: r.headers['content-type'], json: r.json }).toEqual({
      status,
      type: 'application/json',
      json: { RemoteException: { exception: javaClassName.slice(javaClassName.lastIndexOf('.') + 1), javaClassName, message: expect.any(String) } },
    });
  };

  const blockLengths = async (path: string): Promise<number[]> => {
    const r = (await get(path, 'op=GETFILEBLOCKLOCATIONS&user.name=alice')).json as { BlockLocations: { BlockLocation: { length: number }[] } };
    return r.BlockLocations.BlockLocation.map((b) => b.length);
  };

  beforeAll(async () => {
    fleet = await dataFleet('webhdfs-curl', 2, {}, { httpPort: 0 });
    base = `http://127.0.0.1:${fleet.namenode.httpPort}/webhdfs/v1`;
    local = mkdtempSync(join(tmpdir(), 'webhdfs-curl-'));
    writeFileSync(join(local, 'data'), data);
    writeFileSync(join(local, 'more'), 'appended bytes\n');
    writeFileSync(join(local, 'head'), data.subarray(0, 1000));
    writeFileSync(join(local, 'block'), data.subarray(1000, 1000 + BLOCK));
    expect((await put('/home', 'op=MKDIRS&permission=777&user.name=' + fleet.superuser)).json).toEqual({ boolean: true });
  }, 60_000);

  afterAll(async () => {
    await fleet?.close();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('two-step CREATE: 307 to a datanode, the body PUT there, 201 with the hdfs:// URI; the file is as written', async () => {
    const step1 = await put('/home/alice/data', `op=CREATE&user.name=alice&blocksize=${BLOCK}&replication=2&permission=640`);
    expect(step1.status).toBe(307);
    const location = step1.headers['location'] ?? '';
    const dnPorts = fleet.datanodes.map((d) => d.httpPort);
    expect(dnPorts).toContain(Number(new URL(location).port));
    expect(new URL(location).searchParams.get('namenoderpcaddress')).toBe(fleet.address);
    const step2 = await curl(['-X', 'PUT', '-T', join(local, 'data'), '-H', 'Content-Type: application/octet-stream', location]);
    expect(step2.status).toBe(201);
    expect(step2.headers['location']).toBe(`hdfs://${fleet.address}/home/alice/data`);

    const st = await get('/home/alice/data', 'op=GETFILESTATUS&user.name=alice');
    expect(st.json).toEqual({
      FileStatus: {
        accessTime: expect.any(Number),
        blockSize: BLOCK,
        childrenNum: 0,
        fileId: expect.any(Number),
        group: expect.any(String),
        length: data.length,
        modificationTime: expect.any(Number),
        owner: 'alice',
        pathSuffix: '',
        permission: '640',
        replication: 2,
        storagePolicy: 0,
        type: 'FILE',
      },
    });
    const locs = (await get('/home/alice/data', 'op=GETFILEBLOCKLOCATIONS&user.name=alice')).json as { BlockLocations: { BlockLocation: { offset: number; length: number; names: string[] }[] } };
    expect(locs.BlockLocations.BlockLocation.map((b) => [b.offset, b.length, b.names.length])).toEqual([
      [0, BLOCK, 2],
      [BLOCK, BLOCK, 2],
      [2 * BLOCK, BLOCK, 2],
      [3 * BLOCK, 4321, 2],
    ]);
  });

  test('OPEN follows the 307 to a datanode: the whole file, and byte ranges across block boundaries', async () => {
    const whole = await get('/home/alice/data', 'op=OPEN&user.name=alice', ['-L']);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(data)).toBe(true);
    for (const [offset, length] of [
      [0, 1],
      [BLOCK - 10, 20],
      [123_457, 150_000],
      [3 * BLOCK + 4000, 1_000_000],
      [data.length, 10],
    ] as const) {
      const r = await get('/home/alice/data', `op=OPEN&user.name=alice&offset=${offset}&length=${length}`, ['-L']);
      expect(r.status).toBe(200);
      expect(r.body.equals(data.subarray(offset, offset + length))).toBe(true);
    }
    const noRedirect = await get('/home/alice/data', 'op=OPEN&user.name=alice&noredirect=true');
    expect(noRedirect.status).toBe(200);
    const loc = (noRedirect.json as { Location: string }).Location;
    expect((await curl([loc])).body.equals(data)).toBe(true);
  });

  test('two-step APPEND: POST with the body to the datanode named; the file grows by it', async () => {
    const step1 = await curl(['-X', 'POST', url('/home/alice/data', 'op=APPEND&user.name=alice')]);
    expect(step1.status).toBe(307);
    const step2 = await curl(['-X', 'POST', '--data-binary', `@${join(local, 'more')}`, step1.headers['location'] ?? '']);
    expect(step2.status).toBe(200);
    const whole = await get('/home/alice/data', 'op=OPEN&user.name=alice', ['-L']);
    expect(whole.body.equals(Buffer.concat([data, Buffer.from('appended bytes\n')]))).toBe(true);
    // Into the partial last block, as DFSOutputStream appends: no new block.
    expect(await blockLengths('/home/alice/data')).toEqual([BLOCK, BLOCK, BLOCK, 4321 + 15]);

    // An append past the end of the last block fills it, then goes on in a new one.
    const create = await put('/home/alice/grow', `op=CREATE&user.name=alice&blocksize=${BLOCK}&replication=2`);
    expect((await curl(['-X', 'PUT', '-T', join(local, 'head'), create.headers['location'] ?? ''])).status).toBe(201);
    const append = await curl(['-X', 'POST', url('/home/alice/grow', 'op=APPEND&user.name=alice')]);
    expect((await curl(['-X', 'POST', '--data-binary', `@${join(local, 'block')}`, append.headers['location'] ?? ''])).status).toBe(200);
    expect(await blockLengths('/home/alice/grow')).toEqual([BLOCK, 1000]);
    expect((await get('/home/alice/grow', 'op=OPEN&user.name=alice', ['-L'])).body.equals(data.subarray(0, BLOCK + 1000))).toBe(true);
  });

  test('names with spaces, plus signs, percent signs and non-ASCII survive the redirect both ways', async () => {
    const name = encodeURIComponent('we ird+ü%.txt');
    const step1 = await put(`/home/alice/${name}`, 'op=CREATE&user.name=alice');
    expect((await curl(['-X', 'PUT', '-T', join(local, 'more'), step1.headers['location'] ?? ''])).status).toBe(201);
    const listing = (await get('/home/alice', 'op=LISTSTATUS&user.name=alice')).json as { FileStatuses: { FileStatus: { pathSuffix: string }[] } };
    expect(listing.FileStatuses.FileStatus.map((s) => s.pathSuffix)).toContain('we ird+ü%.txt');
    expect((await get(`/home/alice/${name}`, 'op=OPEN&user.name=alice', ['-L'])).body.toString()).toBe('appended bytes\n');
    expect((await curl(['-X', 'DELETE', url(`/home/alice/${name}`, 'op=DELETE&user.name=alice')])).json).toEqual({ boolean: true });
  });

  test('an upload cut off midway harms nothing: the datanode goes on serving, and an overwrite of the path gets the answer HDFS gives (created, or AlreadyBeingCreated while the cut writer holds the lease)', async () => {
    const step1 = await put('/home/alice/cut', `op=CREATE&user.name=alice&blocksize=${BLOCK}&replication=2`);
    const location = new URL(step1.headers['location'] ?? '');
    await new Promise<void>((resolve) => {
      const req = request({ host: location.hostname, port: location.port, method: 'PUT', path: location.pathname + location.search, headers: { 'Content-Length': 1_000_000 } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      // Part of the body, then the connection drops.
      req.write(data.subarray(0, 200_000), () => setImmediate(() => req.destroy()));
    });
    const again = await put('/home/alice/cut', `op=CREATE&user.name=alice&overwrite=true&blocksize=${BLOCK}&replication=2`);
    const done = await curl(['-X', 'PUT', '-T', join(local, 'more'), again.headers['location'] ?? '']);
    // The first writer's lease may still be held: HDFS then refuses the overwrite with AlreadyBeingCreatedException.
    expect([201, 403]).toContain(done.status);
    if (done.status === 403) expect(done.json).toMatchObject({ RemoteException: { exception: 'AlreadyBeingCreatedException' } });
    expect((await get('/home/alice/data', 'op=OPEN&user.name=alice&length=10', ['-L'])).body.equals(data.subarray(0, 10))).toBe(true);
  });

  test('error JSON: each Hadoop exception class with its status, and the namespace unchanged', async () => {
    const before = (await get('/home', 'op=LISTSTATUS&user.name=alice')).json;
    expectRemote(await get('/home/nope', 'op=GETFILESTATUS&user.name=alice'), 404, 'java.io.FileNotFoundException');
    expectRemote(await get('/home/nope', 'op=LISTSTATUS&user.name=alice'), 404, 'java.io.FileNotFoundException');
    expectRemote(await get('/home', 'op=NOSUCHOP'), 400, 'java.lang.IllegalArgumentException');
    expectRemote(await put('/home/x', 'op=MKDIRS&permission=999&user.name=alice'), 400, 'java.lang.IllegalArgumentException');
    expectRemote(await get('/home', 'op=LISTSTATUS&user.name=alice&doas=bob'), 403, 'org.apache.hadoop.security.AccessControlException');
    expectRemote(await put('/home/alice/data/sub', 'op=MKDIRS&user.name=alice'), 403, 'org.apache.hadoop.fs.ParentNotDirectoryException');
    expectRemote(await put('/home/alice/sub', 'op=MKDIRS&user.name=bob'), 403, 'org.apache.hadoop.security.AccessControlException');
    expectRemote(await curl(['-X', 'DELETE', url('/home/alice', 'op=DELETE&recursive=false&user.name=alice')]), 403, 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException');
    expectRemote(await put('/home/alice/data', 'op=SETXATTR&xattr.name=bad&xattr.value=1&user.name=alice'), 400, 'java.lang.IllegalArgumentException');
    expectRemote(await put('/home/alice/data', 'op=SETACL&aclspec=bogus::rwx&user.name=alice'), 400, 'org.apache.hadoop.HadoopIllegalArgumentException');
    expectRemote(await get('/home/alice/data', 'op=GETECPOLICY&user.name=alice'), 400, 'java.lang.UnsupportedOperationException');
    expectRemote(await get('/home/alice', 'op=GETSNAPSHOTDIFF&oldsnapshotname=s1&user.name=alice'), 403, 'org.apache.hadoop.hdfs.protocol.SnapshotException');
    expectRemote(await get('/home/%ZZ', 'op=GETFILESTATUS'), 400, 'java.lang.IllegalArgumentException');
    // The second step of CREATE refused by the namenode: the datanode answers with the namenode's exception.
    const step1 = await put('/home/alice/data', 'op=CREATE&user.name=alice');
    expectRemote(await curl(['-X', 'PUT', '-T', join(local, 'more'), step1.headers['location'] ?? '']), 403, 'org.apache.hadoop.fs.FileAlreadyExistsException');
    // A datanode dials no address a request names.
    const forged = (step1.headers['location'] ?? '').replace(/namenoderpcaddress=[^&]*/, 'namenoderpcaddress=127.0.0.1%3A1');
    expectRemote(await curl(['-X', 'PUT', '-T', join(local, 'more'), forged]), 400, 'java.lang.IllegalArgumentException');
    expect((await get('/home', 'op=LISTSTATUS&user.name=alice')).json).toEqual(before);
    expect((await get('/home/alice/data', 'op=GETFILESTATUS&user.name=alice')).json).toMatchObject({ FileStatus: { length: data.length + 15 } });
  });
});
