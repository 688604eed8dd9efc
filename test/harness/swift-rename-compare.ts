import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pickFreePort } from '../../cli/local/free-port';
import { countingHttpForwarder, type CountingHttpForwarder } from './counting-http-forwarder';
import { hdfs } from './go-hdfs';
import { adminClasspath, runJava, type JavaResult } from './java-hadoop';
import { startKeystone, type KeystoneServer } from './keystone-server';
import { startKeystoneV2Translator, type KeystoneV2Translator } from './keystone-v2-translator';
import { TOOLS_DIR } from './prerequisite';
import { swiftFleet, type SwiftFleet } from './swift-fleet';

/** Hadoop's swift:// URI authority: container `hrename`, service `nnf` (the fs.swift.service.nnf.* settings). */
const SWIFT_ROOT = 'swift://hrename.nnf';
const USER = 'hdfs';

/** One side of the comparison: the rename of a directory of `files` files. */
export interface RenameRow {
  readonly system: string;
  readonly files: number;
  /** Wall time of the rename command (for swift:// a fresh JVM: start-up and authentication included). */
  readonly ms: number;
  /** HTTP requests the Swift proxy received during the rename, by method. */
  readonly swiftRequests: Record<string, number>;
  /** Names under the destination after the rename, sorted. */
  readonly destination: string[];
  /** Names still under the source after the rename (none when it worked). */
  readonly sourceLeft: number;
  /** Content of the destination's file 0, read back through the same client. */
  readonly firstFile: string;
}

/**
 * One private Swift (Keystone v3 auth, every request through a counting
 * forwarder: the catalog's object-store URL is the forwarder), a Keystone
 * v2.0 translator for hadoop-openstack, and a Swift-backed nnfleet (one
 * gateway) on the same Swift.
 */
export interface RenameBench {
  readonly counter: CountingHttpForwarder;
  readonly fleet: SwiftFleet;
  readonly v2: KeystoneV2Translator;
  /** The Java client's config dir (core-site.xml with the fs.swift.service.nnf.* settings). */
  readonly confDir: string;
  close(): Promise<void>;
}

export async function startRenameBench(prefix: string): Promise<RenameBench> {
  const proxyPort = await pickFreePort();
  const counter = await countingHttpForwarder('127.0.0.1', proxyPort);
  let keystone: KeystoneServer | undefined;
  let v2: KeystoneV2Translator | undefined;
  let fleet: SwiftFleet | undefined;
  const dir = mkdtempSync(join(tmpdir(), `nnfleet-${prefix}-`));
  const close = async () => {
    await fleet?.close();
    await v2?.close();
    await keystone?.stop();
    await counter.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    keystone = await startKeystone(counter.url);
    v2 = await startKeystoneV2Translator(keystone.url);
    const creds = join(dir, 'keystone.json');
    writeFileSync(creds, JSON.stringify({ auth: 'keystone-v3-password', authUrl: keystone.url, user: 'admin', password: keystone.adminPassword, project: 'admin', region: 'RegionOne' }), { mode: 0o600 });
    fleet = await swiftFleet(prefix, 1, { swift: { proxyPort, keystone: { url: keystone.url, adminPassword: keystone.adminPassword } }, credentialsFile: creds });
    const confDir = join(dir, 'hadoop-conf');
    mkdirSync(confDir);
    writeFileSync(join(confDir, 'core-site.xml'), swiftCoreSite(v2.tokensUrl, keystone.adminPassword));
    return { counter, fleet, v2, confDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** hadoop-openstack's settings (SwiftRestClient): Keystone v2.0 password auth, the catalog's public URL. */
function swiftCoreSite(tokensUrl: string, password: string): string {
  const props: Record<string, string> = {
    'fs.swift.impl': 'org.apache.hadoop.fs.swift.snative.SwiftNativeFileSystem',
    'fs.swift.service.nnf.auth.url': tokensUrl,
    'fs.swift.service.nnf.username': 'admin',
    'fs.swift.service.nnf.password': password,
    'fs.swift.service.nnf.tenant': 'admin',
    'fs.swift.service.nnf.region': 'RegionOne',
    'fs.swift.service.nnf.public': 'true',
  };
  const body = Object.entries(props)
    .map(([k, v]) => `  <property><name>${k}</name><value>${v}</value></property>`)
    .join('\n');
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

/** A local directory of `files` small files f00000 … (content "file N\n"). */
function localTree(root: string, files: number): string {
  const src = join(root, 'src');
  mkdirSync(src, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(src, fileName(i)), `file ${i}\n`);
  return src;
}

export function fileName(i: number): string {
  return `f${String(i).padStart(5, '0')}`;
}

function swiftShell(bench: RenameBench, args: readonly string[], timeoutMs: number): Promise<JavaResult> {
  const openstack = readFileSync(join(TOOLS_DIR, 'java/openstack-classpath.txt'), 'utf8').trim();
  return runJava('org.apache.hadoop.fs.FsShell', args, { confDir: bench.confDir, user: USER, timeoutMs }, [openstack, adminClasspath()]);
}

async function ok(run: Promise<JavaResult | { code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const r = await run;
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

/** Names listed by `ls` output lines (the last path component of each). */
function names(listing: string): string[] {
  return listing
    .split('\n')
    .filter((l) => !l.startsWith('Found '))
    .map((l) => l.trim().split(/\s+/).pop() ?? '')
    .filter((p) => p !== '')
    .map((p) => p.slice(p.lastIndexOf('/') + 1))
    .sort();
}

/** `files` files put through swift://, then `hadoop fs -mv` of their directory, counted. */
export async function swiftFsRename(bench: RenameBench, files: number, timeoutMs: number): Promise<RenameRow> {
  const local = mkdtempSync(join(tmpdir(), 'nnfleet-swiftfs-src-'));
  try {
    await ok(swiftShell(bench, ['-put', localTree(local, files), `${SWIFT_ROOT}/src`], timeoutMs), 'swift:// -put');
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
  bench.counter.reset();
  const t0 = performance.now();
  await ok(swiftShell(bench, ['-mv', `${SWIFT_ROOT}/src`, `${SWIFT_ROOT}/dst`], timeoutMs), 'swift:// -mv');
  const ms = performance.now() - t0;
  const swiftRequests = bench.counter.counts();
  const dst = await ok(swiftShell(bench, ['-ls', `${SWIFT_ROOT}/dst`], timeoutMs), 'swift:// -ls dst');
  const srcLs = await swiftShell(bench, ['-ls', `${SWIFT_ROOT}/src`], timeoutMs);
  const firstFile = await ok(swiftShell(bench, ['-cat', `${SWIFT_ROOT}/dst/${fileName(0)}`], timeoutMs), 'swift:// -cat');
  return { system: "Hadoop swift:// (hadoop-openstack 3.3.4)", files, ms, swiftRequests, destination: names(dst), sourceLeft: srcLs.code === 0 ? names(srcLs.stdout).length : 0, firstFile };
}

/** `files` files written through the gateway with the Go client, then `hdfs mv` of their directory, counted. */
export async function nnfleetRename(bench: RenameBench, files: number, timeoutMs: number): Promise<RenameRow> {
  const nn = bench.fleet.nn.address;
  // The namenode's superuser (the fixture's), who may create /rename.
  const user = userInfo().username;
  const local = mkdtempSync(join(tmpdir(), 'nnfleet-nnf-src-'));
  try {
    await ok(hdfs(nn, user, ['mkdir', '-p', '/rename'], undefined, timeoutMs), 'hdfs mkdir');
    await ok(hdfs(nn, user, ['put', localTree(local, files), '/rename/src'], undefined, timeoutMs), 'hdfs put');
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
  bench.counter.reset();
  const t0 = performance.now();
  await ok(hdfs(nn, user, ['mv', '/rename/src', '/rename/dst'], undefined, timeoutMs), 'hdfs mv');
  const ms = performance.now() - t0;
  const swiftRequests = bench.counter.counts();
  const dst = await ok(hdfs(nn, user, ['ls', '/rename/dst'], undefined, timeoutMs), 'hdfs ls dst');
  const srcLs = await hdfs(nn, user, ['ls', '/rename/src'], undefined, timeoutMs);
  const firstFile = await ok(hdfs(nn, user, ['cat', `/rename/dst/${fileName(0)}`], undefined, timeoutMs), 'hdfs cat');
  return { system: 'nnfleet, Swift-backed (Go client)', files, ms, swiftRequests, destination: names(dst), sourceLeft: srcLs.code === 0 ? names(srcLs.stdout).length : 0, firstFile };
}

/** The two rows side by side, as the bench prints them. */
export function renameTable(rows: readonly RenameRow[]): string {
  const lines = [`rename of a directory of ${rows[0]?.files ?? 0} files, on the same Swift (requests counted at the proxy)`];
  lines.push(`${'system'.padEnd(42)} ${'rename ms'.padStart(10)} ${'Swift requests'.padStart(15)}  by method`);
  for (const r of rows) {
    const total = Object.values(r.swiftRequests).reduce((a, b) => a + b, 0);
    const by = Object.entries(r.swiftRequests).map(([m, n]) => `${m} ${n}`).join(', ') || '-';
    lines.push(`${r.system.padEnd(42)} ${r.ms.toFixed(0).padStart(10)} ${String(total).padStart(15)}  ${by}`);
  }
  return lines.join('\n');
}
