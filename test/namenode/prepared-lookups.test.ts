import type { Namesystem } from '../../namenode/namesystem';
import { CreateFlag } from '../../namenode/ops/create';
import type { Caller } from '../../namenode/security/caller';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * The lookup and listing flights' statements go as prepared statements
 * (namenode/dal/sql/sql-db.ts executePrepared), their key lists padded to
 * few lengths (sql-values.ts preparedKeys): against the real server, the
 * answers are those of the keys asked, and a server with no room for
 * another prepared statement still answers.
 */
let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('prepared');
  for (let d = 0; d < 5; d++) {
    await f.ns.mkdirs(f.root, `/p/d${d}`, 0o755, true);
    for (let i = 0; i < 3 + d; i++) await createFile(f.ns, `/p/d${d}/f${i}`, f.root);
  }
});
afterAll(async () => {
  await f?.close();
});

const createFile = (ns: Namesystem, path: string, who: Caller) =>
  ns.create(who, { src: path, masked: 0o644, clientName: 'DFSClient_prep', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: true, replication: 1, blockSize: 1024 * 1024 });

async function globalStatus(name: string): Promise<number> {
  const [rows] = (await f.pool.query(`SHOW GLOBAL STATUS LIKE '${name}'`)) as [{ Value: string }[], unknown];
  return Number(rows[0]?.Value ?? 0);
}

/** Paths and what a lookup of each answers: its type, or missing. */
const lookups = (paths: readonly string[]) => Promise.all(paths.map(async (p) => `${p}:${(await f.ns.getFileInfo(f.root, p))?.type ?? 'missing'}`));

test('lookups of 1 to 13 paths in one flight, padded to a prepared length, answer each path and only it', async () => {
  const executed = await globalStatus('Com_stmt_execute');
  for (const n of [1, 5, 7, 13]) {
    // Files and missing names mixed: a padded key repeats the last one, which must not answer for another.
    const paths = Array.from({ length: n }, (_, i) => (i % 3 === 2 ? `/p/d${i % 5}/none${i}` : `/p/d${i % 5}/f${i % 3}`));
    expect(await lookups(paths)).toEqual(paths.map((p) => `${p}:${p.includes('none') ? 'missing' : 'file'}`));
  }
  // getBlockLocations' lookups (with the blocks join) too.
  const located = await Promise.all(['/p/d1/f0', '/p/d2/f3', '/p/d4/f6'].map((p) => f.ns.getBlockLocations(f.root, p, 0, 1024)));
  expect(located.map((l) => l?.underConstruction)).toEqual([true, true, true]);
  expect(await globalStatus('Com_stmt_execute')).toBeGreaterThan(executed);
});

test('listings of several directories in one flight, padded with pages of no directory, each get their own entries', async () => {
  const dirs = ['/p/d0', '/p/d1', '/p/d2', '/p/d3', '/p/d4'];
  const listings = await Promise.all(dirs.map((d) => f.ns.getListing(f.root, d, '')));
  expect(listings.map((l) => l?.entries.map((e) => e.name))).toEqual(dirs.map((_, d) => Array.from({ length: 3 + d }, (_, i) => `f${i}`)));
});

test('a server with no room for another prepared statement answers in text instead', async () => {
  const [rows] = (await f.pool.query('SELECT @@GLOBAL.max_prepared_stmt_count AS n')) as [{ n: number }[], unknown];
  const cap = Number(rows[0]?.n);
  await f.pool.query('SET GLOBAL max_prepared_stmt_count = 0');
  try {
    // 20 different files in one flight: a length (24) no connection has prepared yet.
    const paths = [0, 1, 2, 3, 4].flatMap((d) => Array.from({ length: 3 + d }, (_, i) => `/p/d${d}/f${i}`)).slice(0, 20);
    expect(new Set(paths).size).toBe(20);
    expect(await lookups(paths)).toEqual(paths.map((p) => `${p}:file`));
  } finally {
    await f.pool.query(`SET GLOBAL max_prepared_stmt_count = ${cap}`);
  }
});
