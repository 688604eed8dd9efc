// What MariaDB spends on one listing page, by the shape of its SELECT: the
// probe behind bench/README.md's "Listings from stored status bytes".
// Runs 8 connections of page reads for a few seconds against a running
// fleet's database and prints pages/s and the server's CPU per page (from
// /proc/<mariadbd pid>/stat). Shapes: all (the 22 inode columns), stored
// (status_head, mtime, status_tail), name, count (COUNT(*) of the page);
// a suffix 12 sends 12 pages a statement (UNION ALL), pad12 (allpad12) one page padded
// with 11 pages of no directory, as the namenode pads to a prepared length.
// Usage: node scripts/probe-page-reads.mjs <socket> <mariadbd pid> <shape> [seconds]
//   e.g. node scripts/probe-page-reads.mjs /tmp/f/mysql/mysql.sock $(cat /tmp/f/mysql/mariadbd.pid) stored12 5
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';

const [socketPath, pid, shape = 'all1', seconds = '5'] = process.argv.slice(2);
if (!socketPath || !pid) {
  console.error('usage: node scripts/probe-page-reads.mjs <socket> <mariadbd pid> <shape> [seconds]');
  process.exit(2);
}
const ALL = 'id, parent_id, name, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine, children, acl, subtree_lock_owner, has_quota, latest_snapshot, snap_epoch';
const COLUMNS = { all: ALL, stored: 'status_head, mtime, status_tail', name: 'name', count: 'COUNT(*) AS n' };
const kind = shape.replace(/(pad)?\d+$/, '');
const columns = COLUMNS[kind];
if (!columns) throw new Error(`unknown shape ${shape}: one of ${Object.keys(COLUMNS).join(', ')} followed by 1, 12 or pad12 (all1, stored12, allpad12)`);
const perStatement = shape.endsWith('12') ? 12 : 1;
const real = shape.includes('pad') ? 1 : perStatement;
const one = `SELECT ? AS page, ${columns} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`;
const sql = perStatement === 1 ? one : Array.from({ length: perStatement }, () => `(${one})`).join(' UNION ALL ');
const cpuTicks = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};

const pool = mysql.createPool({ socketPath, user: 'root', database: 'nnfleet', connectionLimit: 8 });
const [dirs] = await pool.query('SELECT id FROM inodes WHERE type = 2 AND children >= 10 LIMIT 200');
if (dirs.length === 0) throw new Error('no directory with 10 children or more: build a namespace first (loadgen nnbench --op create)');
const ids = dirs.map((r) => r.id);
let pages = 0;
let rows = 0;
let stop = false;
const t0 = cpuTicks();
const w0 = Date.now();
setTimeout(() => (stop = true), Number(seconds) * 1000);
await Promise.all(
  Array.from({ length: 8 }, async (_, worker) => {
    let k = worker;
    while (!stop) {
      const params = [];
      for (let i = 0; i < perStatement; i++) params.push(i, i < real ? ids[k++ % ids.length] : -1, Buffer.alloc(0), 1000);
      const [result] = await pool.execute(sql, params);
      pages += real;
      rows += result.length;
    }
  }),
);
const elapsed = (Date.now() - w0) / 1000;
console.log(`${shape}: ${(pages / elapsed).toFixed(0)} pages/s, ${(rows / pages).toFixed(1)} rows a page, MariaDB ${(((cpuTicks() - t0) * 10000) / pages).toFixed(1)} µs CPU a page`);
await pool.end();
