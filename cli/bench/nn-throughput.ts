import { runJavaTimed } from './hdfs-peer-java';

/**
 * The NNThroughputBenchmark operations the side-by-side table runs (it has
 * no listStatus). blockReport is left out: it emulates datanodes over
 * DatanodeProtocol, which nnfleet serves only to connections proven with the
 * fleet's membership secret; replication refuses a remote NameNode itself.
 */
export const NN_THROUGHPUT_OPS = ['fileStatus', 'open', 'create', 'mkdirs', 'delete', 'rename'] as const;
export type NnThroughputOp = (typeof NN_THROUGHPUT_OPS)[number];

/** One NNThroughputBenchmark run: its own ops/s, or why it gave none. */
export type NnThroughputResult =
  | { readonly ok: true; readonly operations: number; readonly elapsedMs: number; readonly opsPerSec: number }
  | { readonly ok: false; readonly reason: string };

export interface NnThroughputOptions {
  readonly threads: number;
  /** Files (directories for mkdirs) the run makes or reads. */
  readonly files: number;
  readonly perDir: number;
  readonly timeoutSeconds: number;
}

export const NN_THROUGHPUT_MAIN = 'org.apache.hadoop.hdfs.server.namenode.NNThroughputBenchmark';

/** NNThroughputBenchmark's command line for `op` against the NameNode at HOST:PORT, `-fs` first as it requires. */
export function nnThroughputArgs(address: string, op: NnThroughputOp, o: NnThroughputOptions): string[] {
  const sizes =
    op === 'mkdirs'
      ? ['-dirs', String(o.files), '-dirsPerDir', String(o.perDir)]
      : ['-files', String(o.files), '-filesPerDir', String(o.perDir), ...(op === 'create' ? ['-close'] : [])];
  return ['-fs', `hdfs://${address}`, '-op', op, '-threads', String(o.threads), ...sizes];
}

/**
 * Hadoop's own benchmark against a remote NameNode. It first calls
 * NamenodeProtocol.versionRequest and ClientProtocol.setSafeMode (so it runs
 * as the superuser), and spins forever when an RPC fails, hence the timeout.
 */
export async function runNnThroughput(classpath: string, address: string, op: NnThroughputOp, o: NnThroughputOptions): Promise<NnThroughputResult> {
  const run = await runJavaTimed(classpath, NN_THROUGHPUT_MAIN, nnThroughputArgs(address, op, o), o.timeoutSeconds);
  return parseNnThroughput(run.output, run.timedOut ? o.timeoutSeconds : undefined);
}

/**
 * Reads the "--- op stats ---" block NNThroughputBenchmark logs ("# operations: N",
 * "Elapsed Time: MS", "Ops per sec: X"). Without one, the reason is the first
 * exception line it printed, and whether `timeout` had to end it.
 */
export function parseNnThroughput(output: string, timedOutAfterSeconds?: number): NnThroughputResult {
  const last = (re: RegExp): number | undefined => {
    const all = [...output.matchAll(re)];
    const m = all[all.length - 1];
    return m ? Number(m[1]) : undefined;
  };
  const operations = last(/# operations: (\d+)/g);
  const elapsedMs = last(/Elapsed Time: (\d+)/g);
  const opsPerSec = last(/Ops per sec: ([\d.]+(?:E\d+)?)/g);
  if (operations !== undefined && elapsedMs !== undefined && opsPerSec !== undefined && timedOutAfterSeconds === undefined) {
    return { ok: true, operations, elapsedMs, opsPerSec };
  }
  const exception = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /(Exception|Error)\b/.test(l) && !l.startsWith('at '));
  const why = exception ? shorten(plainException(exception)) : 'no results printed';
  return { ok: false, reason: timedOutAfterSeconds !== undefined ? `timed out after ${timedOutAfterSeconds} s (${why})` : why };
}

/**
 * A logged exception line without its log4j prefix, and a RemoteException
 * as the server's class (simple name) and message:
 * "RpcNoSuchProtocolException: Unknown protocol: …NamenodeProtocol".
 */
export function plainException(line: string): string {
  // Hadoop's default layout "… ERROR [thread] logger (File.java:m(1)) - msg", or ours "ERROR logger: msg".
  const bare = /\b(?:ERROR|WARN|INFO|FATAL)\s+\[[^\]]*\]/.test(line)
    ? line.slice(line.indexOf(' - ') + 3 || 0)
    : line.replace(/^.*?\b(?:ERROR|WARN|INFO|FATAL)\s+\S+:\s+/, '');
  const remote = /RemoteException\(([\w.$]+)\): (.*)$/.exec(bare);
  if (remote) return `${(remote[1] as string).split('.').pop()}: ${remote[2]}`;
  return bare;
}

function shorten(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
