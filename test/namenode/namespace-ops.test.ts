import { CreateFlag } from '../../namenode/ops/create';
import { rejectsWith } from '../harness/expect-error';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('nsops');
});
afterAll(() => f.close());

const createFile = (path: string, who = f.root, flags: number = CreateFlag.CREATE, createParent = false) =>
  f.ns.create(who, {
    src: path,
    masked: 0o644,
    clientName: `DFSClient_${who.user}`,
    clientMachine: '127.0.0.1',
    flags,
    createParent,
    replication: 3,
    blockSize: 128 * 1024 * 1024,
  });

describe('mkdirs', () => {
  test('creates a directory with parents, masked permission and implicit u+wx on parents', async () => {
    expect(await f.ns.mkdirs(f.root, '/m1/a/b', 0o500, true)).toBe(true);
    const b = await f.ns.getFileInfo(f.root, '/m1/a/b');
    const a = await f.ns.getFileInfo(f.root, '/m1/a');
    expect(b?.type).toBe('directory');
    expect(b?.permission).toBe(0o500);
    expect(a?.permission).toBe(0o700);
    expect(b?.owner).toBe(f.root.user);
    expect(b?.group).toBe('supergroup');
  });

  test('is idempotent on an existing directory', async () => {
    expect(await f.ns.mkdirs(f.root, '/m1/a', 0o755, true)).toBe(true);
  });

  test('without createParent fails when the parent is missing', async () => {
    await rejectsWith(f.ns.mkdirs(f.root, '/m2/x/y', 0o755, false), 'FileNotFound', /Parent directory doesn't exist: \/m2\/x/);
  });

  test('under a file fails with ParentNotDirectory, on a file with FileAlreadyExists', async () => {
    await createFile('/m3file');
    // HDFS 3.4: resolvePath(DirOp.CREATE)'s traverse check, before any parent check.
    await rejectsWith(f.ns.mkdirs(f.root, '/m3file/sub', 0o755, true), 'ParentNotDirectory', /^\/m3file \(is not a directory\)$/);
    await rejectsWith(f.ns.mkdirs(f.root, '/m3file/sub/deeper', 0o755, true), 'ParentNotDirectory', /^\/m3file \(is not a directory\)$/);
    await rejectsWith(createFile('/m3file/f', f.root, CreateFlag.CREATE, true), 'ParentNotDirectory', /^\/m3file \(is not a directory\)$/);
    await rejectsWith(f.ns.mkdirs(f.root, '/m3file', 0o755, true), 'AlreadyExists');
  });

  test('updates the parent modification time', async () => {
    await f.ns.mkdirs(f.root, '/m4', 0o755, true);
    const before = (await f.ns.getFileInfo(f.root, '/m4'))!.mtime;
    await new Promise((r) => setTimeout(r, 5));
    await f.ns.mkdirs(f.root, '/m4/child', 0o755, true);
    expect((await f.ns.getFileInfo(f.root, '/m4'))!.mtime).toBeGreaterThan(before);
  });

  test('is denied in a directory the caller cannot write', async () => {
    await f.ns.mkdirs(f.root, '/m5', 0o755, true);
    await rejectsWith(f.ns.mkdirs(f.alice, '/m5/x', 0o755, true), 'AccessDenied', /user=alice, access=WRITE, inode="\/m5":/);
  });
});

describe('path validation', () => {
  test.each(['relative', '/a/./b', '/a/../b', '/a//b', '/a:b', ''])('rejects %p', async (p) => {
    await rejectsWith(f.ns.getFileInfo(f.root, p), 'InvalidPath');
  });

  // Their entry points are not async (fewer promise hops): a refused path must still be a rejected promise, never a throw.
  test.each(['relative', '/a/../b', '/a/.snapshot/../b', '.snapshot'])('reads refuse %p with a rejected promise', async (p) => {
    await rejectsWith(f.ns.getListing(f.root, p, ''), 'InvalidPath');
    await rejectsWith(f.ns.getBlockLocations(f.root, p, 0, 1), 'InvalidPath');
    await rejectsWith(f.ns.getFileInfo(f.root, p), 'InvalidPath');
  });

  test('rejects a component over 255 bytes', async () => {
    await rejectsWith(f.ns.mkdirs(f.root, `/${'é'.repeat(128)}`, 0o755, true), 'PathComponentTooLong');
  });

  test('accepts a trailing slash and 255-byte names', async () => {
    expect(await f.ns.mkdirs(f.root, `/${'x'.repeat(255)}/`, 0o755, true)).toBe(true);
  });
});

describe('create and complete', () => {
  test('creates an empty file under construction, then closes it', async () => {
    await f.ns.mkdirs(f.root, '/c1', 0o777, true);
    const st = await createFile('/c1/f', f.alice);
    expect(st.type).toBe('file');
    expect(st.underConstruction).toBe(true);
    expect(st.replication).toBe(3);
    expect(await f.ns.complete(f.alice, '/c1/f', 'DFSClient_alice')).toBe(true);
    const closed = await f.ns.getFileInfo(f.root, '/c1/f');
    expect(closed?.underConstruction).toBe(false);
    expect(closed?.owner).toBe('alice');
    // A retried complete of a closed file answers true.
    expect(await f.ns.complete(f.alice, '/c1/f', 'DFSClient_alice')).toBe(true);
  });

  test('refuses an existing file without overwrite and replaces it with overwrite', async () => {
    await createFile('/c2', f.root);
    // Still open: Hadoop's recoverLeaseInternal answers before FileAlreadyExists (FSDirWriteFileOp.startFile);
    // its own writer again is told, in Hadoop 3.4's words, that it already holds the lease.
    await rejectsWith(createFile('/c2', f.root), 'AlreadyBeingCreated', /^Failed to CREATE_FILE \/c2 for (DFSClient_\S+) on 127\.0\.0\.1 because \1 is already the current lease holder\.$/);
    const otherClient = { src: '/c2', masked: 0o644, clientName: 'DFSClient_other', clientMachine: '127.0.0.2', flags: CreateFlag.CREATE, createParent: false, replication: 3, blockSize: 1 << 27 };
    await rejectsWith(f.ns.create(f.root, otherClient), 'AlreadyBeingCreated', /^Failed to CREATE_FILE \/c2 for DFSClient_other on 127\.0\.0\.2 because this file lease is currently owned by DFSClient_\S+ on 127\.0\.0\.1$/);
    expect(await f.ns.complete(f.root, '/c2', `DFSClient_${f.root.user}`)).toBe(true);
    await rejectsWith(createFile('/c2', f.root), 'AlreadyExists', /already exists/);
    const again = await createFile('/c2', f.root, CreateFlag.CREATE | CreateFlag.OVERWRITE);
    expect(again.fileId).toBeGreaterThan(0);
    expect((await f.ns.getFileInfo(f.root, '/c2'))?.fileId).toBe(again.fileId);
  });

  test('OVERWRITE replaces a file another client holds open (FSDirWriteFileOp.startFile deletes it, no lease check); the old writer has lost it', async () => {
    await f.ns.mkdirs(f.root, '/c9', 0o777, true);
    const first = await createFile('/c9/f', f.alice);
    await f.ns.setPermission(f.alice, '/c9/f', 0o666); // OVERWRITE needs WRITE on the file itself
    const bobs = { src: '/c9/f', masked: 0o644, clientName: 'DFSClient_bob', clientMachine: '127.0.0.3', flags: CreateFlag.CREATE, createParent: false, replication: 3, blockSize: 1 << 27 };
    await rejectsWith(f.ns.create(f.bob, bobs), 'AlreadyBeingCreated', /^Failed to CREATE_FILE \/c9\/f for DFSClient_bob on 127\.0\.0\.3 because this file lease is currently owned by DFSClient_alice on 127\.0\.0\.1$/);
    const replaced = await f.ns.create(f.bob, { ...bobs, flags: CreateFlag.CREATE | CreateFlag.OVERWRITE });
    expect(replaced.fileId).not.toBe(first.fileId);
    const now = await f.ns.getFileInfo(f.root, '/c9/f');
    expect([now?.fileId, now?.owner, now?.underConstruction]).toEqual([replaced.fileId, 'bob', true]);
    // HDFS's checkLease: the file at the path is someone else's now (LeaseExpiredException naming both).
    await rejectsWith(f.ns.complete(f.alice, '/c9/f', 'DFSClient_alice'), 'LeaseExpired', /DFSClient_bob.*DFSClient_alice/);
    expect(await f.ns.complete(f.bob, '/c9/f', 'DFSClient_bob')).toBe(true);
  });

  test('refuses a directory, a missing parent, and creates parents when asked', async () => {
    await f.ns.mkdirs(f.root, '/c3', 0o755, true);
    await rejectsWith(createFile('/c3'), 'AlreadyExists', /already exists as a directory/);
    await rejectsWith(createFile('/c4/x/y'), 'FileNotFound');
    await createFile('/c4/x/y', f.root, CreateFlag.CREATE, true);
    expect((await f.ns.getFileInfo(f.root, '/c4/x'))?.type).toBe('directory');
  });

  test('checks replication and block size', async () => {
    await rejectsWith(f.ns.create(f.root, { src: '/c5', masked: 0o644, clientName: 'c', clientMachine: 'm', flags: 1, createParent: false, replication: 0, blockSize: 1 << 27 }), 'IO', /less than the required minimum/);
    await rejectsWith(f.ns.create(f.root, { src: '/c5', masked: 0o644, clientName: 'c', clientMachine: 'm', flags: 1, createParent: false, replication: 3, blockSize: 1024 }), 'IO', /min-block-size/);
  });

  test('a closed file answers complete true only as a retry of its own close (its last block)', async () => {
    await createFile('/c8', f.root);
    expect(await f.ns.complete(f.root, '/c8', `DFSClient_${f.root.user}`)).toBe(true);
    // A writer naming a block the closed file does not end with was cut off (recovered, or
    // closed by someone else): HDFS's completeFileInternal answers LeaseExpiredException.
    await rejectsWith(f.ns.complete(f.root, '/c8', `DFSClient_${f.root.user}`, { blockId: 987654321, genStamp: 1001, numBytes: 4096 }), 'LeaseExpired', /not open for writing/);
    expect((await f.ns.getFileInfo(f.root, '/c8'))?.length).toBe(0);
  });

  test('complete by another client is a lease mismatch', async () => {
    await createFile('/c6', f.root);
    await rejectsWith(f.ns.complete(f.root, '/c6', 'someone-else'), 'LeaseExpired');
  });

  test('lease rows follow the open files', async () => {
    await f.ns.mkdirs(f.root, '/c7dir', 0o777, true);
    await createFile('/c7dir/c7', f.bob, CreateFlag.CREATE);
    const holders = async () => {
      const [rows] = await f.pool.query('SELECT holder FROM lease_paths lp JOIN inodes i ON i.id = lp.inode_id WHERE i.name = ?', [Buffer.from('c7')]);
      return (rows as { holder: string | Buffer }[]).map((r) => String(r.holder));
    };
    // The writer's own lease, not the caller that happens to be the superuser.
    expect(await holders()).toEqual(['DFSClient_bob']);
    await f.ns.renewLease('DFSClient_bob');
    expect(await f.ns.complete(f.bob, '/c7dir/c7', 'DFSClient_bob')).toBe(true);
    expect(await holders()).toEqual([]);
  });
});

describe('getListing', () => {
  beforeAll(async () => {
    await f.ns.mkdirs(f.root, '/l', 0o755, true);
    for (const n of ['b', 'a', 'c', 'B', 'aa']) await f.ns.mkdirs(f.root, `/l/${n}`, 0o755, true);
  });

  test('lists sorted by name bytes', async () => {
    const l = await f.ns.getListing(f.root, '/l', '');
    expect(l?.entries.map((e) => e.name)).toEqual(['B', 'a', 'aa', 'b', 'c']);
    expect(l?.remaining).toBe(0);
  });

  test('continues after startAfter', async () => {
    const l = await f.ns.getListing(f.root, '/l', 'aa');
    expect(l?.entries.map((e) => e.name)).toEqual(['b', 'c']);
  });

  test('pages at the listing limit with the remaining count', async () => {
    const small = await namesystemFixture('nslimit', { listingLimit: 2 });
    try {
      for (const n of ['a', 'b', 'c', 'd', 'e']) await small.ns.mkdirs(small.root, `/p/${n}`, 0o755, true);
      const first = await small.ns.getListing(small.root, '/p', '');
      expect(first?.entries.map((e) => e.name)).toEqual(['a', 'b']);
      expect(first?.remaining).toBe(3);
      const second = await small.ns.getListing(small.root, '/p', 'b');
      expect(second?.entries.map((e) => e.name)).toEqual(['c', 'd']);
      expect(second?.remaining).toBe(1);
    } finally {
      await small.close();
    }
  });

  test('of a file is the file itself with an empty name; of a missing path undefined', async () => {
    await createFile('/l/file');
    const l = await f.ns.getListing(f.root, '/l/file', '');
    expect(l?.entries).toHaveLength(1);
    expect(l?.entries[0]?.name).toBe('');
    expect(await f.ns.getListing(f.root, '/l/missing', '')).toBeUndefined();
  });

  test('needs READ_EXECUTE on the directory', async () => {
    await f.ns.mkdirs(f.root, '/l/private', 0o700, true);
    await rejectsWith(f.ns.getListing(f.alice, '/l/private', ''), 'AccessDenied', /access=READ_EXECUTE/);
  });
});

describe('getFileInfo', () => {
  test('answers undefined for missing paths; through a file, undefined to the superuser only (HDFS 3.4)', async () => {
    await createFile('/g1');
    expect(await f.ns.getFileInfo(f.root, '/nope')).toBeUndefined();
    expect(await f.ns.getFileInfo(f.alice, '/nope')).toBeUndefined();
    expect(await f.ns.getFileInfo(f.root, '/g1/x')).toBeUndefined();
    await rejectsWith(f.ns.getFileInfo(f.alice, '/g1/x'), 'AccessDenied', /^\/g1 \(is not a directory\)$/);
    await rejectsWith(f.ns.getListing(f.root, '/g1/x', ''), 'AccessDenied', /^\/g1 \(is not a directory\)$/);
  });

  test('needs EXECUTE on every ancestor', async () => {
    await f.ns.mkdirs(f.root, '/g2/inner', 0o755, true);
    await f.ns.setPermission(f.root, '/g2', 0o700);
    await rejectsWith(f.ns.getFileInfo(f.alice, '/g2/inner'), 'AccessDenied', /access=EXECUTE/);
    expect(await f.ns.getFileInfo(f.alice, '/g2')).toBeDefined();
  });

  test('a second namenode sees writes at once, and a stale hint falls back', async () => {
    const other = f.other();
    await f.ns.mkdirs(f.root, '/g3/x/y', 0o755, true);
    expect((await other.getFileInfo(f.root, '/g3/x/y'))?.type).toBe('directory');
    // Replace /g3/x on the first namenode; the second's cached id for /g3/x is now stale.
    await f.ns.delete(f.root, '/g3/x', true);
    await f.ns.mkdirs(f.root, '/g3/x/y', 0o700, true);
    expect((await other.getFileInfo(f.root, '/g3/x/y'))?.permission).toBe(0o700);
  });
});
