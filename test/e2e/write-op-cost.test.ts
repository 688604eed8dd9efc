import { randomBytes, randomUUID } from 'node:crypto';
import { ReplicaEvent } from '../../namenode/domain/datanode-messages';
import type { RetryKey } from '../../namenode/domain/retry-key';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { ROOT_KEY } from '../../namenode/tx/path-resolver';
import { ROOT_INODE_ID } from '../../schema/tables';
import type { SqlParam } from '../../namenode/dal/sql/sql-session';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * The database cost of each namespace operation through the real
 * Namesystem on the real MariaDB: every statement it sends, the counters'
 * side channel included, listed by operation (a warm hint cache, the
 * steady state of a busy namenode). The list is printed; the bounds
 * asserted are the ones the write path promises (issue 11: create ≤ 10).
 */
let f: NamesystemFixture;
let log: string[] = [];
const dns = Array.from({ length: 3 }, () => randomUUID());
const STATS = { capacity: 1e12, dfsUsed: 0, remaining: 1e12, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0 };
const clientId = randomBytes(16);
let callId = 0;
const key = (method: string): RetryKey => ({ clientId, callId: ++callId, method, user: f.root.user });

/** The statements `fn` sent: the steady state, after `warm` ran the same kind of call once. */
async function statementsOf(label: string, fn: (i: number) => Promise<unknown>): Promise<string[]> {
  await fn(0);
  log = [];
  await fn(1);
  const sent = log;
  log = [];
  const verbs = sent.map((s) => s.trim().split(/\s+/, 1)[0]?.toUpperCase());
  process.stdout.write(`${label}: ${sent.length} statements (${verbs.join(' ')})\n${sent.map((s) => `    ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}\n`);
  return sent;
}

beforeAll(async () => {
  f = await namesystemFixture('opcost', {}, (sql) => log.push(sql));
  for (const [i, uuid] of dns.entries()) {
    await f.ns.datanodes.register({ uuid, ipAddr: `10.2.0.${i + 1}`, hostName: `dn${i}`, xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
    await f.ns.datanodes.heartbeat(uuid, STATS, [{ storageId: `DS-${uuid}`, storageType: 1, capacity: 1e12, dfsUsed: 0, remaining: 1e12 }]);
  }
  await f.ns.mkdirs(f.root, '/cost/dir', 0o755, true);
  for (let i = 0; i < 4; i++) {
    await f.ns.create(f.root, { src: `/cost/dir/f${i}`, masked: 0o644, clientName: 'w', clientMachine: 'm', flags: 1, createParent: false, replication: 3, blockSize: 1 << 27 });
  }
}, 60_000);
afterAll(() => f.close());

const createReq = (src: string, clientName = 'writer') => ({ src, masked: 0o644, clientName, clientMachine: 'm', flags: 1, createParent: false, replication: 3, blockSize: 1 << 27 });

test('statements per operation, listed', async () => {
  const create = await statementsOf('create', (i) => f.ns.create(f.root, createReq(`/cost/dir/c${i}`), key('create')));
  const complete = await statementsOf('complete (empty file)', (i) => f.ns.complete(f.root, `/cost/dir/c${i}`, 'writer'));
  const mkdirs = await statementsOf('mkdirs', (i) => f.ns.mkdirs(f.root, `/cost/dir/d${i}`, 0o755, true));
  const blocks = new Map<number, { blockId: number; genStamp: number }>();
  await f.ns.create(f.root, createReq('/cost/dir/b0'));
  await f.ns.create(f.root, createReq('/cost/dir/b1'));
  const addBlock = await statementsOf('addBlock (first block)', async (i) => {
    const lb = await f.ns.addBlock(f.root, { src: `/cost/dir/b${i}`, clientName: 'writer', previous: undefined, exclude: [], favored: [], writer: '' });
    blocks.set(i, lb.block);
  });
  for (const b of blocks.values()) {
    for (const uuid of dns) {
      await f.ns.datanodes.replicasChanged(uuid, [{ blockId: b.blockId, genStamp: b.genStamp, numBytes: 4096, finalized: true, storageId: `DS-${uuid}`, event: ReplicaEvent.Received }]);
    }
  }
  const completeBlock = await statementsOf('complete (one reported block)', (i) => {
    const b = blocks.get(i) as { blockId: number; genStamp: number };
    return f.ns.complete(f.root, `/cost/dir/b${i}`, 'writer', { ...b, numBytes: 4096 });
  });
  const locations = await statementsOf('getBlockLocations', (i) => f.ns.getBlockLocations(f.root, `/cost/dir/b${i}`, 0, 1 << 20));
  const listing = await statementsOf('getListing', () => f.ns.getListing(f.root, '/cost/dir', ''));
  const rename = await statementsOf('rename', (i) => f.ns.rename(f.root, `/cost/dir/f${i}`, `/cost/dir/r${i}`, key('rename')));
  const del = await statementsOf('delete (file)', (i) => f.ns.delete(f.root, `/cost/dir/f${i + 2}`, false, key('delete')));
  process.stdout.write(
    `statements per op: create ${create.length}, complete ${complete.length}, create+complete ${create.length + complete.length}, mkdirs ${mkdirs.length}, ` +
      `addBlock ${addBlock.length}, complete with a block ${completeBlock.length}, getBlockLocations ${locations.length}, getListing ${listing.length}, rename ${rename.length}, delete ${del.length}\n`,
  );
  expect(create.length + complete.length).toBeGreaterThan(0);
  // At most once in one row write: a lone call with a retry key INSERTs its row with its answer at commit, claiming nothing first.
  for (const sent of [create, rename, del]) {
    const retryRows = sent.filter((st) => st.includes('retry_cache'));
    expect(retryRows).toHaveLength(1);
    expect(retryRows[0]).not.toContain('ON DUPLICATE KEY');
  }
});

test('N concurrent getBlockLocations and getListing cost fewer statements than N', async () => {
  const n = 20;
  const files = Array.from({ length: n }, (_, i) => `/cost/many/f${i}`);
  for (const src of files) {
    await f.ns.create(f.root, { ...createReq(src, 'many'), createParent: true });
    const lb = await f.ns.addBlock(f.root, { src, clientName: 'many', previous: undefined, exclude: [], favored: [], writer: '' });
    for (const uuid of dns) {
      await f.ns.datanodes.replicasChanged(uuid, [{ blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 100, finalized: true, storageId: `DS-${uuid}`, event: ReplicaEvent.Received }]);
    }
    expect(await f.ns.complete(f.root, src, 'many', { ...lb.block, numBytes: 100 })).toBe(true);
  }
  for (let i = 0; i < n; i++) await f.ns.mkdirs(f.root, `/cost/dirs/d${i}/sub`, 0o755, true);
  // Warm the hint cache so each call's cost is its own reads.
  await Promise.all(files.map((src) => f.ns.getFileInfo(f.root, src)));

  log = [];
  const located = await Promise.all(files.map((src) => f.ns.getBlockLocations(f.root, src, 0, 1000)));
  const locationStatements = log.length;
  log = [];
  const listings = await Promise.all(Array.from({ length: n }, (_, i) => f.ns.getListing(f.root, `/cost/dirs/d${i}`, '')));
  const listingStatements = log.length;
  process.stdout.write(`${n} concurrent getBlockLocations: ${locationStatements} statements; ${n} concurrent getListing: ${listingStatements} statements\n`);
  // Each answer is its own file's and directory's, not a neighbour's.
  located.forEach((l, i) => {
    expect(l.fileLength).toBe(100);
    expect(l.blocks).toHaveLength(1);
    expect(l.blocks[0]?.locations).toHaveLength(3);
    expect(l.blocks[0]?.block.blockId).not.toBe(located[(i + 1) % n]?.blocks[0]?.block.blockId);
  });
  listings.forEach((l) => expect(l?.entries.map((e) => e.name)).toEqual(['sub']));
  expect(locationStatements).toBeLessThan(n);
  expect(listingStatements).toBeLessThan(n);
});

test('creates in one group commit share their INSERT statements and their directories\' touch: one per table, not one per create', async () => {
  const n = 8;
  for (let i = 0; i < n; i++) await f.ns.mkdirs(f.root, `/cost/group/d${i}`, 0o755, true);
  // The hint cache knows every directory: the creates resolve together and reach the group committer in one tick.
  await Promise.all(Array.from({ length: n }, (_, i) => f.ns.getFileInfo(f.root, `/cost/group/d${i}`)));
  const before = { ...(f.ns.runner.groupStats ?? { groups: 0, grouped: 0, fallbacks: 0 }) };
  log = [];
  const made = await Promise.all(Array.from({ length: n }, (_, i) => f.ns.create(f.root, createReq(`/cost/group/d${i}/f`, `group${i}`), key('create'))));
  const sent = log;
  log = [];
  const grouped = (f.ns.runner.groupStats?.grouped ?? 0) - before.grouped;
  const count = (prefix: string) => sent.filter((s) => s.trim().startsWith(prefix)).length;
  process.stdout.write(`${n} concurrent creates (${grouped} grouped): ${sent.length} statements, ${count('INSERT INTO inodes')} inode INSERTs, ${count('INSERT INTO change_log')} change-log INSERTs\n${sent.map((s) => `    ${s.replace(/\s+/g, ' ').slice(0, 100)}`).join('\n')}\n`);
  expect(new Set(made.map((r) => r.fileId)).size).toBe(n);
  for (let i = 0; i < n; i++) expect((await f.ns.getFileInfo(f.root, `/cost/group/d${i}/f`))?.type).toBe('file');
  // Only grouped creates share statements: as many INSERTs as transactions.
  expect(grouped).toBeGreaterThan(1);
  expect(count('INSERT INTO inodes')).toBe(n - grouped + (f.ns.runner.groupStats?.groups ?? 0) - before.groups);
  // ...and one UPDATE touches all their directories.
  expect(count('UPDATE inodes SET mtime = GREATEST')).toBe(count('INSERT INTO inodes'));
  const [dirs] = await f.pool.query('SELECT children FROM inodes WHERE parent_id = (SELECT id FROM inodes WHERE parent_id = (SELECT id FROM inodes WHERE parent_id = ? AND name = ?) AND name = ?)', [ROOT_INODE_ID, Buffer.from('cost'), Buffer.from('group')]);
  expect((dirs as { children: number }[]).map((r) => Number(r.children))).toEqual(Array.from({ length: n }, () => 1));
  const [open] = await f.pool.query('SELECT COUNT(*) AS n FROM lease_paths lp JOIN leases l ON l.holder = lp.holder WHERE lp.holder LIKE ?', ['group%']);
  expect(Number((open as { n: number }[])[0]?.n)).toBe(n);
});

test('deletes in one group commit share their statements: one DELETE per table, one replica read, one touch', async () => {
  const n = 8;
  for (let i = 0; i < n; i++) {
    await f.ns.mkdirs(f.root, `/cost/gone/d${i}`, 0o755, true);
    await f.ns.create(f.root, createReq(`/cost/gone/d${i}/f`, `gone${i}`));
    await f.ns.complete(f.root, `/cost/gone/d${i}/f`, `gone${i}`);
  }
  // The files' hints (a delete's declared replica read names the file's id), as a busy namenode has them.
  await Promise.all(Array.from({ length: n }, (_, i) => f.ns.getFileInfo(f.root, `/cost/gone/d${i}/f`)));
  const before = { ...(f.ns.runner.groupStats ?? { groups: 0, grouped: 0, fallbacks: 0 }) };
  log = [];
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => f.ns.delete(f.root, `/cost/gone/d${i}/f`, false, key('delete'))));
  const sent = log;
  log = [];
  const stats = f.ns.runner.groupStats ?? before;
  const transactions = n - (stats.grouped - before.grouped) + (stats.groups - before.groups);
  const count = (prefix: string) => sent.filter((s) => s.trim().startsWith(prefix)).length;
  process.stdout.write(`${n} concurrent deletes (${stats.grouped - before.grouped} grouped, ${transactions} transactions): ${sent.length} statements\n${sent.map((s) => `    ${s.replace(/\s+/g, ' ').slice(0, 100)}`).join('\n')}\n`);
  expect(answers).toEqual(Array.from({ length: n }, () => true));
  expect(stats.fallbacks).toBe(before.fallbacks);
  expect(transactions).toBeLessThan(n);
  // As many statements of each kind as transactions, not as deletes.
  expect(count('DELETE FROM inodes')).toBe(transactions);
  expect(count('SELECT inode_id, block_id, storage_id')).toBe(transactions);
  // Closed files with no replica rows, read under their locks: nothing to delete from replicas, lease paths or pipelines.
  expect(count('DELETE FROM replicas')).toBe(0);
  expect(count('DELETE FROM lease_paths')).toBe(0);
  expect(count('DELETE FROM pipeline_targets')).toBe(0);
  expect(count('UPDATE inodes SET mtime = GREATEST')).toBe(transactions);
  for (let i = 0; i < n; i++) {
    expect(await f.ns.getFileInfo(f.root, `/cost/gone/d${i}/f`)).toBeUndefined();
    expect((await f.ns.getListing(f.root, `/cost/gone/d${i}`, ''))?.entries).toEqual([]);
  }
  // Each directory's child count came down by its one delete (the joined touch summed per directory).
  const [dirs] = await f.pool.query('SELECT children FROM inodes WHERE parent_id = (SELECT id FROM inodes WHERE parent_id = (SELECT id FROM inodes WHERE parent_id = ? AND name = ?) AND name = ?)', [ROOT_INODE_ID, Buffer.from('cost'), Buffer.from('gone')]);
  expect((dirs as { children: number }[]).map((r) => Number(r.children))).toEqual(Array.from({ length: n }, () => 0));
  const [left] = await f.pool.query("SELECT COUNT(*) AS n FROM lease_paths WHERE holder LIKE 'gone%'");
  expect(Number((left as { n: number }[])[0]?.n)).toBe(0);
});

test('a delete clears the lease paths, pipeline rows and replicas there are, and sends no DELETE for those a closed file cannot have', async () => {
  const rows = async (table: 'lease_paths' | 'pipeline_targets' | 'replicas', id: number): Promise<number> => {
    const [r] = await f.pool.query(`SELECT COUNT(*) AS n FROM ${table} WHERE inode_id = ?`, [id]);
    return Number((r as { n: number }[])[0]?.n);
  };
  const invalidations = async (blockId: number): Promise<number> => {
    const [r] = await f.pool.query('SELECT COUNT(*) AS n FROM datanode_commands WHERE block_id = ?', [blockId]);
    return Number((r as { n: number }[])[0]?.n);
  };
  await f.ns.mkdirs(f.root, '/cost/del', 0o755, true);
  // Open: a block in its pipeline, two of three copies reported.
  const open = await f.ns.create(f.root, createReq('/cost/del/open', 'opener'), key('create'));
  const lb = await f.ns.addBlock(f.root, { src: '/cost/del/open', clientName: 'opener', previous: undefined, exclude: [], favored: [], writer: '' });
  for (const uuid of dns.slice(0, 2)) {
    await f.ns.datanodes.replicasChanged(uuid, [{ blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 10, finalized: false, storageId: `DS-${uuid}`, event: ReplicaEvent.Receiving }]);
  }
  // Closed, with three reported copies.
  await f.ns.create(f.root, createReq('/cost/del/closed', 'closer'), key('create'));
  const cb = await f.ns.addBlock(f.root, { src: '/cost/del/closed', clientName: 'closer', previous: undefined, exclude: [], favored: [], writer: '' });
  for (const uuid of dns) {
    await f.ns.datanodes.replicasChanged(uuid, [{ blockId: cb.block.blockId, genStamp: cb.block.genStamp, numBytes: 10, finalized: true, storageId: `DS-${uuid}`, event: ReplicaEvent.Received }]);
  }
  expect(await f.ns.complete(f.root, '/cost/del/closed', 'closer', { ...cb.block, numBytes: 10 })).toBe(true);
  const closedId = (await f.ns.getFileInfo(f.root, '/cost/del/closed'))?.fileId as number;
  // Closed and empty: no block, no copy.
  await f.ns.create(f.root, createReq('/cost/del/empty', 'emptier'), key('create'));
  await f.ns.complete(f.root, '/cost/del/empty', 'emptier');
  expect([await rows('lease_paths', open.fileId), await rows('pipeline_targets', open.fileId), await rows('replicas', open.fileId)]).toEqual([1, 3, 2]);
  expect([await rows('lease_paths', closedId), await rows('pipeline_targets', closedId), await rows('replicas', closedId)]).toEqual([0, 0, 3]);

  const deleted = async (src: string): Promise<string[]> => {
    log = [];
    expect(await f.ns.delete(f.root, src, false, key('delete'))).toBe(true);
    const sent = log.filter((s) => s.trim().startsWith('DELETE FROM'));
    log = [];
    return sent.map((s) => s.trim().split(/\s+/, 3)[2] as string);
  };
  const openDeletes = await deleted('/cost/del/open');
  expect(openDeletes).toEqual(expect.arrayContaining(['inodes', 'lease_paths', 'pipeline_targets', 'replicas', 'blocks']));
  expect([await rows('lease_paths', open.fileId), await rows('pipeline_targets', open.fileId), await rows('replicas', open.fileId)]).toEqual([0, 0, 0]);
  expect(await invalidations(lb.block.blockId)).toBe(2);
  const closedDeletes = await deleted('/cost/del/closed');
  expect(closedDeletes).toEqual(expect.arrayContaining(['inodes', 'replicas', 'blocks']));
  expect(closedDeletes).not.toEqual(expect.arrayContaining(['lease_paths']));
  expect(closedDeletes).not.toEqual(expect.arrayContaining(['pipeline_targets']));
  expect(await rows('replicas', closedId)).toBe(0);
  expect(await invalidations(cb.block.blockId)).toBe(3);
  const emptyDeletes = await deleted('/cost/del/empty');
  process.stdout.write(`DELETEs of a delete: open file ${openDeletes.join(' ')}; closed with copies ${closedDeletes.join(' ')}; closed and empty ${emptyDeletes.join(' ')}\n`);
  for (const table of ['lease_paths', 'pipeline_targets', 'replicas']) expect(emptyDeletes).not.toContain(table);
  // The lease monitor finds no path of a deleted file left behind.
  const [left] = await f.pool.query("SELECT COUNT(*) AS n FROM lease_paths WHERE holder IN ('opener', 'closer', 'emptier')");
  expect(Number((left as { n: number }[])[0]?.n)).toBe(0);
});

test('creates into one directory in one group commit touch it once, by all of them', async () => {
  const n = 6;
  await f.ns.mkdirs(f.root, '/cost/one', 0o755, true);
  await f.ns.getFileInfo(f.root, '/cost/one');
  const before = { ...(f.ns.runner.groupStats ?? { groups: 0, grouped: 0, fallbacks: 0 }) };
  log = [];
  await Promise.all(Array.from({ length: n }, (_, i) => f.ns.create(f.root, createReq(`/cost/one/f${i}`, `one${i}`), key('create'))));
  const sent = log;
  log = [];
  const stats = f.ns.runner.groupStats ?? before;
  const transactions = n - (stats.grouped - before.grouped) + (stats.groups - before.groups);
  const touches = sent.filter((s) => s.trim().startsWith('UPDATE inodes SET mtime = GREATEST')).length;
  process.stdout.write(`${n} concurrent creates into one directory: ${transactions} transactions, ${touches} touches of it\n`);
  expect(stats.fallbacks).toBe(before.fallbacks);
  expect(transactions).toBeLessThan(n);
  expect(touches).toBe(transactions);
  // The directory counts every child once.
  const [rows] = await f.pool.query('SELECT children FROM inodes WHERE parent_id = (SELECT id FROM inodes WHERE parent_id = ? AND name = ?) AND name = ?', [ROOT_INODE_ID, Buffer.from('cost'), Buffer.from('one')]);
  expect(Number((rows as { children: number }[])[0]?.children)).toBe(n);
  expect((await f.ns.getListing(f.root, '/cost/one', ''))?.entries).toHaveLength(n);
});

test("the lock phase's one statement locks each group in its mode, reads the unlocked rows without a lock, and the safe mode from the root's row alone", async () => {
  const [idRows] = await f.pool.query('SELECT id FROM inodes WHERE parent_id = ? AND name = ?', [ROOT_INODE_ID, Buffer.from('cost')]);
  const costId = Number((idRows as { id: number }[])[0]?.id);
  const q = sqlRepositories.inodes.findSafeModeAndLockedBatched([
    { keys: [ROOT_KEY], mode: 'shared' },
    { keys: [{ parentId: ROOT_INODE_ID, name: 'cost' }], mode: 'exclusive' },
    { keys: [{ parentId: costId, name: 'dir' }], mode: 'none' },
  ]);
  if (q.kind !== 'sql') throw new Error('a SQL query was expected');
  const [statement] = q.statements;
  const holder = await f.pool.getConnection();
  const probe = await f.pool.getConnection();
  // Whether another transaction can lock the row at once in this mode (NOWAIT: no waiting, an error instead).
  const lockable = async (sql: string, params: SqlParam[], mode: 'FOR UPDATE' | 'LOCK IN SHARE MODE' = 'FOR UPDATE') => {
    await probe.query('START TRANSACTION');
    try {
      await probe.query(`${sql} ${mode} NOWAIT`, params);
      return true;
    } catch {
      return false;
    } finally {
      await probe.query('ROLLBACK');
    }
  };
  const byKey = 'SELECT id FROM inodes WHERE parent_id = ? AND name = ?';
  try {
    await holder.query('START TRANSACTION');
    const [rows] = await holder.query(statement?.sql ?? '', statement?.params ?? []);
    expect((rows as unknown[]).length).toBe(3);
    expect(q.decode([rows]).safeModeEnteredAt).toBeNull();
    // No second table: the safe mode is the root row's column, and namespace_info is not locked.
    expect(statement?.sql).not.toContain('namespace_info');
    expect(await lockable('SELECT id FROM namespace_info WHERE id = 1', [])).toBe(true);
    expect(await lockable('SELECT id FROM inodes WHERE id = ?', [ROOT_INODE_ID])).toBe(false);
    expect(await lockable('SELECT id FROM inodes WHERE id = ?', [ROOT_INODE_ID], 'LOCK IN SHARE MODE')).toBe(true);
    expect(await lockable(byKey, [ROOT_INODE_ID, Buffer.from('cost')], 'LOCK IN SHARE MODE')).toBe(false);
    expect(await lockable(byKey, [costId, Buffer.from('dir')])).toBe(true);
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
    probe.release();
  }
});
