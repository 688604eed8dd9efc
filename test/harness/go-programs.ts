import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, cpSync, symlinkSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
export const GO_APPEND = join(ROOT, '.tools/bin/nnfleet-append');
export const GO_STATLOOP = join(ROOT, '.tools/bin/nnfleet-statloop');
export const GO_WRITE = join(ROOT, '.tools/bin/nnfleet-write');
const GOCODE = '/usr/share/gocode/src';

export const ensureGoAppend = (): string => ensureGoProgram('append', GO_APPEND);

/**
 * Builds test/go/<name> (our own programs on Debian's Go HDFS library) the
 * way scripts/install-deps.sh builds the hdfs command: GOPATH mode, offline.
 */
export function ensureGoProgram(name: string, out: string): string {
  if (existsSync(out)) return out;
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
    cpSync(join(ROOT, 'test/go', name), app, { recursive: true });
    mkdirSync(join(ROOT, '.tools/bin'), { recursive: true });
    const built = spawnSync('go', ['build', '-o', out, '.'], {
      cwd: app,
      env: { ...process.env, GOPATH: gopath, GO111MODULE: 'off', GOCACHE: join(gopath, 'cache'), GOFLAGS: '' },
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`building nnfleet-${name} failed: ${built.stderr}`);
    return out;
  } finally {
    rmSync(gopath, { recursive: true, force: true });
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

function runGoProgram(bin: string, args: string[], namenode: string, user: string, input: Buffer): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      bin,
      args,
      { env: { PATH: process.env['PATH'] ?? '', HADOOP_NAMENODE: namenode, HADOOP_USER_NAME: user }, timeout: 60_000 },
      (err, _stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr }),
    );
    child.stdin?.end(input);
  });
}
