import { HADOOP_JAVA17_OPENS } from '../../cli/bench/hdfs-peer-java';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TOOLS_DIR } from './prerequisite';
import { runProcess, runProcessSync, type TestProcess } from './process-fixture';

/**
 * The Apache Hadoop Java client (scripts/install-java-deps.sh) run as a user
 * would: `hdfs dfs` is org.apache.hadoop.fs.FsShell, `hdfs dfsadmin` is
 * DFSAdmin, and our own small programs (tools/java/src) use the FileSystem
 * API. Each run is one JVM (about a second of start-up), so a test batches
 * checks into one run where it can.
 */

const ROOT = resolve(__dirname, '../..');
const TOOLS = TOOLS_DIR;
/** The shaded client (FsShell, FileSystem API, MapReduce). */
const CLIENT_CLASSPATH = join(TOOLS, 'java/classpath.txt');
/** The unshaded hadoop-hdfs tools (DFSAdmin, DFSck): a classpath of their own. */
const ADMIN_CLASSPATH = join(TOOLS, 'java/admin-classpath.txt');
const LOG4J_CONFIG = join(ROOT, 'tools/java/log4j.properties');
const SOURCES = join(ROOT, 'tools/java/src');

export interface JavaResult {
  readonly code: number;
  readonly stdout: string;
  /** stdout as bytes, for byte-exact checks of `-cat`. */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface JavaRunOptions {
  /** A directory with the client's core-site.xml / hdfs-site.xml (a fleet's client-config dir). */
  readonly confDir: string;
  /** HADOOP_USER_NAME: who the client says it is (simple authentication). */
  readonly user: string;
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  /** Called with the child once it runs, e.g. to kill a namenode while it works. */
  readonly onSpawn?: (java: TestProcess) => void;
}

function classpathOf(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/install-java-deps.sh`);
  return readFileSync(file, 'utf8').trim();
}

// Hadoop 3.4 on Java 17 (the --add-opens list is the bench's peer's), quick to start.
const JVM_FLAGS = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Xmx512m',
  ...HADOOP_JAVA17_OPENS,
  '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
  // No native libhadoop here; the pure-Java code paths are the ones used.
  '-Dorg.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader=error',
  `-Dlog4j.configuration=file:${LOG4J_CONFIG}`,
  // Each failover of a call to another namenode, so a test can see it happen.
  '-Dorg.slf4j.simpleLogger.log.org.apache.hadoop.io.retry.RetryInvocationHandler=info',
];

/** Runs `mainClass` with the shaded Hadoop client classpath (or `classpath`), the config dir first on it. */
export async function runJava(mainClass: string, args: readonly string[], opts: JavaRunOptions, classpath: readonly string[] = [classpathOf(CLIENT_CLASSPATH)]): Promise<JavaResult> {
  const cp = [opts.confDir, ...classpath].join(':');
  // stdin is always closed: FsShell reads it for `-put -`, and would wait on an open one.
  const r = await runProcess('java', [...JVM_FLAGS, '-cp', cp, mainClass, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HADOOP_USER_NAME: opts.user, HOME: process.env['HOME'] ?? '/tmp' },
    timeoutMs: opts.timeoutMs ?? 120_000,
    input: opts.input ?? '',
    ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
  });
  return { code: r.code, stdout: r.stdout, stdoutBytes: r.stdoutBytes, stderr: r.stderr };
}

/** `hdfs dfs ARGS`: generic options (-D k=v) first, as FsShell parses them. */
export function fsShell(args: readonly string[], opts: JavaRunOptions): Promise<JavaResult> {
  return runJava('org.apache.hadoop.fs.FsShell', args, opts);
}

/**
 * Several `hdfs dfs` commands in one JVM (tools/java/src/FsShellBatch.java),
 * in order, each with its own configuration: one result per command. No
 * argument may contain a tab or a newline.
 */
export async function fsShellBatch(commands: readonly (readonly string[])[], opts: Omit<JavaRunOptions, 'input'>): Promise<JavaResult[]> {
  const input = commands.map((c) => c.join('\t')).join('\n') + '\n';
  const run = await javaProgram('FsShellBatch', [], { ...opts, input });
  if (run.code !== 0) throw new Error(`FsShellBatch failed (${run.code}):\n${run.stderr}`);
  const results: JavaResult[] = [];
  const bytes = run.stdoutBytes;
  let at = 0;
  while (at < bytes.length) {
    const eol = bytes.indexOf(0x0a, at);
    const header = /^#(\d+) (-?\d+) (\d+) (\d+)$/.exec(bytes.subarray(at, eol).toString());
    if (!header) throw new Error(`FsShellBatch: bad header at ${at}: ${bytes.subarray(at, at + 80).toString()}`);
    const outLen = Number(header[3]);
    const errLen = Number(header[4]);
    const out = bytes.subarray(eol + 1, eol + 1 + outLen);
    const err = bytes.subarray(eol + 1 + outLen, eol + 1 + outLen + errLen);
    results.push({ code: Number(header[2]), stdout: out.toString(), stdoutBytes: Buffer.from(out), stderr: err.toString() });
    at = eol + 1 + outLen + errLen;
  }
  if (results.length !== commands.length) throw new Error(`FsShellBatch answered ${results.length} of ${commands.length} commands:\n${run.stderr}`);
  return results;
}

/** `hdfs dfsadmin ARGS`. */
export function dfsAdmin(args: readonly string[], opts: JavaRunOptions): Promise<JavaResult> {
  return runJava('org.apache.hadoop.hdfs.tools.DFSAdmin', args, opts, [classpathOf(ADMIN_CLASSPATH)]);
}

/** The unshaded hadoop-hdfs classpath (DFSAdmin, DFSck, NNThroughputBenchmark from the `tests` jars). */
export function adminClasspath(): string {
  return classpathOf(ADMIN_CLASSPATH);
}

/** `hdfs storagepolicies ARGS`. */
export function storagePolicyAdmin(args: readonly string[], opts: JavaRunOptions): Promise<JavaResult> {
  return runJava('org.apache.hadoop.hdfs.tools.StoragePolicyAdmin', args, opts, [classpathOf(ADMIN_CLASSPATH)]);
}

/** `hdfs fsck ARGS` (it asks the namenode's HTTP `/fsck` servlet). */
export function dfsck(args: readonly string[], opts: JavaRunOptions): Promise<JavaResult> {
  return runJava('org.apache.hadoop.hdfs.tools.DFSck', args, opts, [classpathOf(ADMIN_CLASSPATH)]);
}

/** `hadoop jar hadoop-mapreduce-examples.jar NAME ARGS` (wordcount, teragen, …), local mode. */
export function mapreduceExample(name: string, args: readonly string[], opts: JavaRunOptions): Promise<JavaResult> {
  return runJava('org.apache.hadoop.examples.ExampleDriver', [name, ...args], opts);
}

/** Runs tools/java/src/<name>.java (compiled once) against the client config in `opts`. */
export function javaProgram(name: string, args: readonly string[], opts: JavaRunOptions): Promise<JavaResult> {
  return runJava(name, args, opts, [compiledPrograms(), classpathOf(CLIENT_CLASSPATH)]);
}

/** The stdout of a run that must succeed; its exit code and stderr in the error otherwise. */
export async function javaStdout(run: Promise<JavaResult>): Promise<string> {
  const r = await run;
  if (r.code !== 0) throw new Error(`java client failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/**
 * Compiles every tools/java/src program once per distinct set of sources:
 * into .tools/java/classes/<hash of the sources>, so checkouts that share
 * .tools (worktrees) never run each other's builds, and javac runs once per
 * change instead of the source launcher's compile on every run.
 */
function compiledPrograms(): string {
  const sources = readdirSync(SOURCES).filter((f) => f.endsWith('.java')).sort();
  const hash = createHash('sha256');
  for (const f of sources) hash.update(f).update('\0').update(readFileSync(join(SOURCES, f))).update('\0');
  const out = join(realpathSync(TOOLS), 'java/classes', hash.digest('hex').slice(0, 16));
  const stamp = join(out, '.built');
  if (existsSync(stamp)) return out;
  mkdirSync(out, { recursive: true });
  const built = runProcessSync('javac', ['-nowarn', '-d', out, '-cp', classpathOf(CLIENT_CLASSPATH), ...sources.map((f) => join(SOURCES, f))]);
  if (built.status !== 0) throw new Error(`javac failed: ${built.stderr}`);
  writeFileSync(stamp, '');
  return out;
}
