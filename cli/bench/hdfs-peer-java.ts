import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKOUT_ROOT } from './checkout-root';


const ROOT = CHECKOUT_ROOT;
const INSTALL_SCRIPT = join(ROOT, 'scripts', 'install-hdfs-peer.sh');
const LOG4J_CONFIG = join(ROOT, 'tools', 'java', 'hdfs-peer', 'log4j.properties');

/**
 * Hadoop 3.4 on Java 17: reflection into java.base that the module system
 * closes by default (Hadoop's own launcher scripts pass the same). The
 * tests' Java harness starts its JVMs with these too.
 */
export const HADOOP_JAVA17_OPENS: readonly string[] = ['java.lang', 'java.nio', 'sun.nio.ch', 'java.util', 'java.lang.reflect', 'java.net'].map(
  (pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`,
);

const JVM_FLAGS: readonly string[] = [...HADOOP_JAVA17_OPENS, `-Dlog4j.configuration=file:${LOG4J_CONFIG}`];

/** How to start a JVM on Apache HDFS's own classpath; or why it cannot be done here. */
export type PeerJava = { readonly ok: true; readonly classpath: string } | { readonly ok: false; readonly reason: string };

/**
 * Runs scripts/install-hdfs-peer.sh (no mvn when the jars are already in
 * .tools/m2) and reads the classpath it wrote. Never throws: a machine
 * without Java, Maven or network gets the reason instead.
 */
export function preparePeerJava(): PeerJava {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) return { ok: false, reason: 'java is not on PATH' };
  const r = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error || r.status !== 0) {
    const lines = (r.stderr ?? '').trim().split('\n');
    return { ok: false, reason: `${INSTALL_SCRIPT} failed: ${lines[lines.length - 1] || (r.error?.message ?? `exit ${r.status}`)}` };
  }
  const tools = process.env['NNFLEET_TOOLS_DIR'] ?? join(ROOT, '.tools');
  const file = join(existsSync(tools) ? realpathSync(tools) : tools, 'java', 'hdfs-peer-classpath.txt');
  if (!existsSync(file)) return { ok: false, reason: `${file} is missing after ${INSTALL_SCRIPT}` };
  return { ok: true, classpath: readFileSync(file, 'utf8').trim() };
}

/** `java` arguments for `mainClass` on the peer's classpath. */
export function javaArgs(classpath: string, heap: string, mainClass: string, args: readonly string[]): string[] {
  return [`-Xmx${heap}`, ...JVM_FLAGS, '-cp', classpath, mainClass, ...args];
}

export interface JavaOutput {
  readonly code: number | null;
  /** True when `timeout` ended it (exit 124) rather than the program itself. */
  readonly timedOut: boolean;
  readonly output: string;
}

/**
 * A JVM run to completion under coreutils `timeout`: a Hadoop tool that
 * spins forever on a failed RPC (NNThroughputBenchmark does) ends anyway,
 * and a bench Ctrl-C'd mid-run leaves nothing behind after the limit.
 */
export function runJavaTimed(classpath: string, mainClass: string, args: readonly string[], timeoutSeconds: number): Promise<JavaOutput> {
  return new Promise((done) => {
    execFile(
      'timeout',
      ['-k', '5', String(timeoutSeconds), 'java', ...javaArgs(classpath, '512m', mainClass, args)],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        done({ code, timedOut: code === 124 || code === 137, output: `${stdout}${stderr}` });
      },
    );
  });
}
