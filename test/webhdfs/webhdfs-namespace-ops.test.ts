import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl, type CurlResult } from '../harness/curl';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { md5md5Crc } from '../harness/hdfs-checksums';
import { payload } from '../harness/payload';

const BLOCK = 1_048_576;

/**
 * The namespace operations of WebHDFS, each answered with JsonUtil's JSON
 * (or an empty 200), over curl against a namenode whose listing limit is 2
 * (so LISTSTATUS and LISTSTATUS_BATCH page). `hue` may act for alice
 * (hadoop.proxyuser.hue.*), nobody else may act for anyone.
 */
describe('WebHDFS namespace operations', () => {
  let fleet: DataFleet;
  let base: string;
  let local: string;
  const data = payload(BLOCK + 5000, 3);

  const call = (method: string, path: string, query: string, extra: string[] = []) => curl(['-X', method, ...extra, `${base}${path}?${query}`]);
  const ok = async (method: string, path: string, query: string): Promise<unknown> => {
    const r = await call(method, path, query);
    expect([r.status, r.json === undefined ? r.body.toString() : r.json]).toEqual([200, r.json === undefined ? '' : r.json]);
    return r.json;
  };
  const remote = (r: CurlResult) => [r.status, (r.json as { RemoteException?: { javaClassName: string } } | undefined)?.RemoteException?.javaClassName];
  const upload = async (path: string, file: string, query = '') => {
    const step1 = await call('PUT', path, `op=CREATE&user.name=alice&blocksize=${BLOCK}&replication=1${query}`);
    expect(step1.status).toBe(307);
    expect((await curl(['-X', 'PUT', '-T', file, step1.headers['location'] ?? ''])).status).toBe(201);
  };

  beforeAll(async () => {
    fleet = await dataFleet('webhdfs-ns', 1, { listingLimit: 2, proxyUsers: { hue: { hosts: '*', users: 'alice' } } }, { httpPort: 0 });
    base = `http://127.0.0.1:${fleet.namenode.httpPort}/webhdfs/v1`;
    local = mkdtempSync(join(tmpdir(), 'webhdfs-ns-'));
    writeFileSync(join(local, 'data'), data);
    writeFileSync(join(local, 'small'), 'small\n');
    await ok('PUT', '/d', `op=MKDIRS&permission=777&user.name=${fleet.superuser}`);
    await upload('/d/f', join(local, 'data'));
  }, 60_000);

  afterAll(async () => {
    await fleet?.close();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('home, trash root, server defaults, storage policies', async () => {
    expect(await ok('GET', '/', 'op=GETHOMEDIRECTORY&user.name=alice')).toEqual({ Path: '/user/alice' });
    expect(await ok('GET', '/d', 'op=GETTRASHROOT&user.name=alice')).toEqual({ Path: '/user/alice/.Trash' });
    expect(await ok('GET', '/', 'op=GETSERVERDEFAULTS')).toEqual({
      FsServerDefaults: expect.objectContaining({ checksumType: 2, bytesPerChecksum: 512, defaultStoragePolicyId: 7, replication: expect.any(Number), blockSize: expect.any(Number) }),
    });
    const all = (await ok('GET', '/', 'op=GETALLSTORAGEPOLICY')) as { BlockStoragePolicies: { BlockStoragePolicy: { name: string }[] } };
    expect(all.BlockStoragePolicies.BlockStoragePolicy.map((p) => p.name)).toContain('HOT');
    await ok('PUT', '/d/f', 'op=SETSTORAGEPOLICY&storagepolicy=COLD&user.name=alice');
    expect(await ok('GET', '/d/f', 'op=GETSTORAGEPOLICY&user.name=alice')).toEqual({
      BlockStoragePolicy: { copyOnCreateFile: false, creationFallbacks: [], id: 2, name: 'COLD', replicationFallbacks: [], storageTypes: ['ARCHIVE'] },
    });
    await ok('POST', '/d/f', 'op=UNSETSTORAGEPOLICY&user.name=alice');
    expect(remote(await call('PUT', '/d/f', 'op=SETSTORAGEPOLICY&storagepolicy=NOPE&user.name=alice'))).toEqual([400, 'org.apache.hadoop.HadoopIllegalArgumentException']);
  });

  test('LISTSTATUS pages through the whole directory; LISTSTATUS_BATCH gives one page and what remains', async () => {
    for (const n of ['a', 'b', 'c', 'e']) await ok('PUT', `/d/list/${n}`, 'op=MKDIRS&user.name=alice');
    const all = (await ok('GET', '/d/list', 'op=LISTSTATUS&user.name=alice')) as { FileStatuses: { FileStatus: { pathSuffix: string; type: string }[] } };
    expect(all.FileStatuses.FileStatus.map((s) => [s.pathSuffix, s.type])).toEqual([
      ['a', 'DIRECTORY'],
      ['b', 'DIRECTORY'],
      ['c', 'DIRECTORY'],
      ['e', 'DIRECTORY'],
    ]);
    const page = (await ok('GET', '/d/list', 'op=LISTSTATUS_BATCH&startAfter=a&user.name=alice')) as { DirectoryListing: { partialListing: { FileStatuses: { FileStatus: { pathSuffix: string }[] } }; remainingEntries: number } };
    expect(page.DirectoryListing.partialListing.FileStatuses.FileStatus.map((s) => s.pathSuffix)).toEqual(['b', 'c']);
    expect(page.DirectoryListing.remainingEntries).toBe(1);
    expect((await ok('GET', '/d/f', 'op=LISTSTATUS&user.name=alice')) as unknown).toMatchObject({ FileStatuses: { FileStatus: [{ pathSuffix: '', type: 'FILE' }] } });
  });

  test('content summary, quota usage, block locations, checksum', async () => {
    expect(await ok('GET', '/d', 'op=GETCONTENTSUMMARY&user.name=alice')).toMatchObject({
      ContentSummary: { fileCount: 1, length: data.length, quota: -1, spaceQuota: -1, spaceConsumed: data.length },
    });
    expect(await ok('GET', '/d', 'op=GETQUOTAUSAGE&user.name=alice')).toMatchObject({ QuotaUsage: { quota: -1, spaceQuota: -1, spaceConsumed: data.length } });
    const lb = (await ok('GET', '/d/f', 'op=GET_BLOCK_LOCATIONS&user.name=alice')) as { LocatedBlocks: { fileLength: number; locatedBlocks: { startOffset: number; block: { numBytes: number } }[] } };
    expect(lb.LocatedBlocks.fileLength).toBe(data.length);
    expect(lb.LocatedBlocks.locatedBlocks.map((b) => [b.startOffset, b.block.numBytes])).toEqual([
      [0, BLOCK],
      [BLOCK, 5000],
    ]);
    const sum = await call('GET', '/d/f', 'op=GETFILECHECKSUM&user.name=alice', ['-L']);
    expect(sum.json).toEqual({ FileChecksum: { algorithm: 'MD5-of-2048MD5-of-512CRC32C', bytes: `00000200${(2048).toString(16).padStart(16, '0')}${md5md5Crc('CRC32C', data, BLOCK)}`, length: 28 } });
  });

  test('xattrs: set (text, hex), get in each encoding, list, remove; flags enforced', async () => {
    await ok('PUT', '/d/f', 'op=SETXATTR&xattr.name=user.t&xattr.value=%22hi%22&flag=CREATE&user.name=alice');
    await ok('PUT', '/d/f', 'op=SETXATTR&xattr.name=user.h&xattr.value=0x0102ff&flag=CREATE&user.name=alice');
    expect(remote(await call('PUT', '/d/f', 'op=SETXATTR&xattr.name=user.t&xattr.value=1&flag=CREATE&user.name=alice'))[0]).toBe(403);
    expect(await ok('GET', '/d/f', 'op=GETXATTRS&xattr.name=user.h&encoding=HEX&user.name=alice')).toEqual({ XAttrs: [{ name: 'user.h', value: '0x0102ff' }] });
    expect(await ok('GET', '/d/f', 'op=GETXATTRS&xattr.name=user.t&encoding=BASE64&user.name=alice')).toEqual({ XAttrs: [{ name: 'user.t', value: '0saGk=' }] });
    expect(await ok('GET', '/d/f', 'op=GETXATTRS&xattr.name=user.t&user.name=alice')).toEqual({ XAttrs: [{ name: 'user.t', value: '"hi"' }] });
    const names = (await ok('GET', '/d/f', 'op=LISTXATTRS&user.name=alice')) as { XAttrNames: string };
    expect((JSON.parse(names.XAttrNames) as string[]).sort()).toEqual(['user.h', 'user.t']);
    await ok('PUT', '/d/f', 'op=REMOVEXATTR&xattr.name=user.h&user.name=alice');
    expect(JSON.parse(((await ok('GET', '/d/f', 'op=LISTXATTRS&user.name=alice')) as { XAttrNames: string }).XAttrNames)).toEqual(['user.t']);
  });

  test('ACLs: set, modify, status with aclBit, remove entries, remove', async () => {
    await ok('PUT', '/d/acl', 'op=MKDIRS&permission=750&user.name=alice');
    await ok('PUT', '/d/acl', 'op=SETACL&aclspec=user::rwx,user:bob:r-x,group::r-x,mask::r-x,other::---&user.name=alice');
    await ok('PUT', '/d/acl', 'op=MODIFYACLENTRIES&aclspec=default:user:bob:rwx&user.name=alice');
    expect(await ok('GET', '/d/acl', 'op=GETACLSTATUS&user.name=alice')).toEqual({
      AclStatus: {
        aclBit: true,
        entries: ['user:bob:r-x', 'group::r-x', 'default:user::rwx', 'default:user:bob:rwx', 'default:group::r-x', 'default:mask::rwx', 'default:other::---'],
        group: expect.any(String),
        owner: 'alice',
        permission: '750',
        stickyBit: false,
      },
    });
    expect(await ok('GET', '/d/acl', 'op=GETFILESTATUS&user.name=alice')).toMatchObject({ FileStatus: { aclBit: true } });
    await ok('PUT', '/d/acl', 'op=REMOVEACLENTRIES&aclspec=user:bob&user.name=alice');
    await ok('PUT', '/d/acl', 'op=REMOVEDEFAULTACL&user.name=alice');
    await ok('PUT', '/d/acl', 'op=REMOVEACL&user.name=alice');
    expect(await ok('GET', '/d/acl', 'op=GETACLSTATUS&user.name=alice')).toMatchObject({ AclStatus: { entries: [] } });
    await ok('GET', '/d/acl', 'op=CHECKACCESS&fsaction=rwx&user.name=alice');
    expect(remote(await call('GET', '/d/acl', 'op=CHECKACCESS&fsaction=r-x&user.name=bob'))).toEqual([403, 'org.apache.hadoop.security.AccessControlException']);
  });

  test('symlinks, rename (plain and OVERWRITE), replication, times, owner, truncate, concat, delete', async () => {
    await ok('PUT', '/d/link', 'op=CREATESYMLINK&destination=/d/f&user.name=alice');
    expect(await ok('GET', '/d/link', 'op=GETFILELINKSTATUS&user.name=alice')).toMatchObject({ FileStatus: { type: 'SYMLINK', symlink: '/d/f' } });
    expect(await ok('GET', '/d/link', 'op=GETLINKTARGET&user.name=alice')).toEqual({ Path: '/d/f' });

    await upload('/d/s1', join(local, 'small'));
    await upload('/d/s2', join(local, 'small'));
    expect(await ok('PUT', '/d/s1', 'op=RENAME&destination=/d/r1&user.name=alice')).toEqual({ boolean: true });
    expect(await ok('PUT', '/d/nope', 'op=RENAME&destination=/d/r2&user.name=alice')).toEqual({ boolean: false });
    expect(remote(await call('PUT', '/d/s2', 'op=RENAME&destination=/d/r1&renameoptions=NONE&user.name=alice'))).toEqual([403, 'org.apache.hadoop.fs.FileAlreadyExistsException']);
    await ok('PUT', '/d/s2', 'op=RENAME&destination=/d/r1&renameoptions=OVERWRITE&user.name=alice');
    expect(await ok('PUT', '/d/r1', 'op=SETREPLICATION&replication=2&user.name=alice')).toEqual({ boolean: true });
    await ok('PUT', '/d/r1', 'op=SETTIMES&modificationtime=1000000&accesstime=2000000&user.name=alice');
    await ok('PUT', '/d/r1', `op=SETOWNER&owner=bob&group=bob&user.name=${fleet.superuser}`);
    expect(await ok('GET', '/d/r1', 'op=GETFILESTATUS&user.name=alice')).toMatchObject({ FileStatus: { owner: 'bob', group: 'bob', replication: 2, modificationTime: 1000000, accessTime: 2000000 } });
    expect(remote(await call('PUT', '/d/r1', 'op=SETOWNER&user.name=alice'))).toEqual([400, 'java.lang.IllegalArgumentException']);

    expect(await ok('POST', '/d/r1', 'op=TRUNCATE&newlength=0&user.name=bob')).toEqual({ boolean: true });
    expect(await ok('GET', '/d/r1', 'op=GETFILESTATUS&user.name=alice')).toMatchObject({ FileStatus: { length: 0 } });

    await upload('/d/c1', join(local, 'data'));
    await upload('/d/c2', join(local, 'small'));
    await ok('POST', '/d/c1', 'op=CONCAT&sources=/d/c2&user.name=alice');
    const joined = await call('GET', '/d/c1', 'op=OPEN&user.name=alice', ['-L']);
    expect(joined.body.equals(Buffer.concat([data, Buffer.from('small\n')]))).toBe(true);
    expect(remote(await call('GET', '/d/c2', 'op=GETFILESTATUS&user.name=alice'))).toEqual([404, 'java.io.FileNotFoundException']);

    expect(await ok('DELETE', '/d/r1', 'op=DELETE&user.name=bob')).toEqual({ boolean: true });
    expect(await ok('DELETE', '/d/r1', 'op=DELETE&user.name=bob')).toEqual({ boolean: false });
  });

  test('doas: hue may act for alice, not for bob; a user acting for another without a rule is refused', async () => {
    expect(await ok('GET', '/', 'op=GETHOMEDIRECTORY&user.name=hue&doas=alice')).toEqual({ Path: '/user/alice' });
    await ok('PUT', '/d/by-hue', 'op=MKDIRS&user.name=hue&doas=alice');
    expect(await ok('GET', '/d/by-hue', 'op=GETFILESTATUS&user.name=alice')).toMatchObject({ FileStatus: { owner: 'alice' } });
    expect(remote(await call('PUT', '/d/by-hue2', 'op=MKDIRS&user.name=hue&doas=bob'))).toEqual([403, 'org.apache.hadoop.security.AccessControlException']);
    expect(remote(await call('GET', '/d', 'op=LISTSTATUS&user.name=bob&doas=alice'))).toEqual([403, 'org.apache.hadoop.security.AccessControlException']);
    expect(remote(await call('GET', '/d/by-hue2', 'op=GETFILESTATUS&user.name=alice'))).toEqual([404, 'java.io.FileNotFoundException']);
  });

  test('malformed requests get 400 with RemoteException JSON and change nothing', async () => {
    const before = await ok('GET', '/d', 'op=LISTSTATUS&user.name=alice');
    for (const [method, path, query] of [
      ['GET', '/d', 'op='],
      ['GET', '/d', 'op=NOSUCH'],
      ['PUT', '/d', 'op=GETFILESTATUS'],
      ['GET', '/d', 'op=OPEN&offset=-1'],
      ['GET', '/d', 'op=OPEN&length=abc'],
      ['PUT', '/d/x', 'op=MKDIRS&permission=8'],
      ['PUT', '/d/x', 'op=MKDIRS&permission=17777'],
      ['DELETE', '/d', 'op=DELETE&recursive=maybe'],
      ['PUT', '/d/f', 'op=SETXATTR&xattr.name=user.q&xattr.value=0xZZ&flag=CREATE'],
      ['PUT', '/d/f', 'op=SETXATTR&xattr.name=user.q&flag=SOMETIMES'],
      ['PUT', '/d/f', 'op=RENAME&destination=relative'],
      ['POST', '/d/f', 'op=TRUNCATE'],
      ['GET', '/d', 'op=CHECKACCESS&fsaction=rwz'],
      ['GET', '/d', 'op=GETSNAPSHOTDIFFLISTING&snapshotdiffindex=one'],
    ] as const) {
      const r = await call(method, path, `${query}&user.name=alice`);
      expect([method, query.slice(0, 60), remote(r)[0]]).toEqual([method, query.slice(0, 60), 400]);
    }
    // A request line past node's 16 KiB header limit is refused (431, or the connection cut) before any of it is parsed.
    const long = await call('PUT', '/d/f', `op=RENAME&destination=/${'x'.repeat(20_000)}&user.name=alice`).catch(() => undefined);
    expect(long === undefined || long.status === 431).toBe(true);
    expect(await ok('GET', '/d', 'op=LISTSTATUS&user.name=alice')).toEqual(before);
  });

  test("each op is timed in the namenode's metrics beside the IPC methods; an unknown op mints no series", async () => {
    const metrics = (await curl([`http://127.0.0.1:${fleet.namenode.httpPort}/metrics`])).body.toString();
    expect(metrics).toMatch(/nnfleet_rpc_duration_seconds_count\{method="webhdfs.GETFILESTATUS",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/nnfleet_rpc_duration_seconds_count\{method="webhdfs.GETFILESTATUS",outcome="error"\} [1-9]/);
    expect(metrics).not.toContain('webhdfs.NOSUCH');
    expect(metrics).not.toMatch(/method="webhdfs\."/);
  });
});
