import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toolPath } from './prerequisite';
import { runProcess, runProcessSync } from './process-fixture';

const ROOT = resolve(__dirname, '../..');
export const GO_APPEND = toolPath('bin/nnfleet-append');
export const GO_STATLOOP = toolPath('bin/nnfleet-statloop');
export const GO_WRITE = toolPath('bin/nnfleet-write');
const GOCODE = '/usr/share/gocode/src';

export const ensureGoAppend = (): string => ensureGoProgram('append', GO_APPEND);

/**
 * Builds test/go/<name> (our own programs on Debian's Go HDFS library) the
 * way scripts/install-deps.sh builds the hdfs command: GOPATH mode, offline;
 * again whenever the sources differ from those it was built from (.tools is
 * shared by checkouts). Content decides, not mtimes: a fresh checkout or
 * worktree of the same sources must not rebuild, since a cold build of the
 * library takes tens of seconds of CPU and ran inside a test's timeout. The
 * build cache is kept under .tools and paths are trimmed, so a rebuild after
 * a change compiles only what changed.
 */
export function ensureGoProgram(name: string, out: string): string {
  const sources = join(ROOT, 'test/go', name);
  const stamp = `${out}.sources`;
  const hash = sourceHash(sources);
  if (existsSync(out) && readOr(stamp) === hash) return out;
  const gopath = mkdtempSync(join(tmpdir(), 'nnfleet-gopath-'));
  try {
    const src = join(gopath, 'src');
    mkdirSync(src, { recursive: true });
    for (const entry of readdirSync(GOCODE)) symlinkSync(join(GOCODE, entry), join(src, entry));
    // The library lives at github.com/colinmarc/hdfs; the import path wants .../hdfs/v2.
    rmSync(join(src, 'github.com'));
    mkdirSync(join(src, 'github.com'));
    for (const entry of readdirSync(join(GOCODE, 'github.com'))) {
      if (entry !== 'colinmarc') symlinkSync(join(GOCODE, 'github.com', entry), join(src, 'github.com', entry));
    }
    mkdirSync(join(src, 'github.com/colinmarc/hdfs'), { recursive: true });
    cpSync(join(GOCODE, 'github.com/colinmarc/hdfs'), join(src, 'github.com/colinmarc/hdfs/v2'), { recursive: true });
    for (const entry of readdirSync(join(GOCODE, 'github.com/colinmarc'))) {
      if (entry !== 'hdfs') symlinkSync(join(GOCODE, 'github.com/colinmarc', entry), join(src, 'github.com/colinmarc', entry));
    }
    const app = join(src, `nnfleet-${name}`);
    cpSync(sources, app, { recursive: true });
    mkdirSync(toolPath('bin'), { recursive: true });
    // Built aside and renamed into place: another test file may be running the old binary, or building too.
    const fresh = join(gopath, `nnfleet-${name}`);
    const built = runProcessSync('go', ['build', '-trimpath', '-o', fresh, '.'], {
      cwd: app,
      env: { ...process.env, GOPATH: gopath, GO111MODULE: 'off', GOCACHE: toolPath('go-build-cache'), GOFLAGS: '' },
    });
    if (built.status !== 0) throw new Error(`building nnfleet-${name} failed: ${built.stderr}`);
    cpSync(fresh, `${out}.new-${process.pid}`);
    renameSync(`${out}.new-${process.pid}`, out);
    writeFileSync(stamp, hash);
    return out;
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function sourceHash(dir: string): string {
  const hash = createHash('sha256');
  for (const f of sourceFiles(dir)) hash.update(f.slice(dir.length)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

function readOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Asynchronous on purpose: the namenode under test may live in this very process. */
export function goAppend(namenode: string, user: string, path: string, data: Buffer): Promise<{ code: number; stderr: string }> {
  return runGoProgram(ensureGoAppend(), [path], namenode, user, data);
}

export interface GoWriteOptions {
  readonly blockSize?: number;
  readonly replication?: number;
  /** The first `flushes` writes are `piece` bytes each, every one followed by a flush. */
  readonly flushes?: number;
  readonly piece?: number;
}

/** Creates `path` with `data` through test/go/write: a chosen block size, flushed small writes. */
export function goWrite(namenode: string, user: string, path: string, data: Buffer, o: GoWriteOptions = {}): Promise<{ code: number; stderr: string }> {
  const flags = Object.entries({ blocksize: o.blockSize, replication: o.replication, flushes: o.flushes, piece: o.piece }).flatMap(([k, v]) => (v === undefined ? [] : [`-${k}`, String(v)]));
  return runGoProgram(ensureGoProgram('write', GO_WRITE), [...flags, path], namenode, user, data);
}

async function runGoProgram(bin: string, args: string[], namenode: string, user: string, input: Buffer): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await runProcess(bin, args, { env: { PATH: process.env['PATH'] ?? '', HADOOP_NAMENODE: namenode, HADOOP_USER_NAME: user }, input, timeoutMs: 60_000 });
  return { code, stderr };
}
