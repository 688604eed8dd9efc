import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../options';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { writeSmallFiles, type SmallFilesResult } from '../../loadgen/small-files';
import { runMain } from './run-main';

/** What one small-files client process writes: `warmupFiles` unmeasured, then `files` measured. */
export interface SmallFilesClientRun {
  readonly address: string;
  readonly user: string;
  readonly files: number;
  readonly threads: number;
  readonly bytes: number;
  readonly replication: number;
  /** Made by the client; deleted with everything in it once the measured files are written. */
  readonly dir: string;
  readonly warmupFiles: number;
  /** This module's built file, when the caller is not it (a test running the TypeScript source). */
  readonly script?: string;
}

/** The measured writes, as the client process saw them. */
export interface SmallFilesClientResult {
  readonly result: SmallFilesResult;
  /** The client process's CPU (user + system) over the measured writes. */
  readonly cpuMicros: number;
}

const MAX_SECONDS = 600;
/** The most the client may print (its two lines are a few KiB). */
const MAX_OUTPUT = 1024 * 1024;

/**
 * The small-files writers in a client process of their own, as a Hadoop
 * client's are, not in the bench process that has run every section before
 * (runDataClient says what a long-lived bench process costs a client).
 * start() resolves once the warm-up files are written; measure() then has
 * the measured files written and resolves with what the client saw, so the
 * caller can sample the servers' counters exactly around them.
 */
export class SmallFilesClient {
  readonly #child: ChildProcess;
  readonly #lines: AsyncIterator<string>;
  readonly #exited: Promise<void>;
  #stderr = '';

  private constructor(child: ChildProcess) {
    this.#child = child;
    const stdout = child.stdout;
    if (!stdout) throw new Error('small-files client: no stdout');
    // A client that died is reported by its exit, not by a write to its closed stdin.
    child.stdin?.on('error', () => undefined);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < MAX_OUTPUT) this.#stderr += chunk.toString();
    });
    this.#lines = createInterface({ input: stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
    let printed = 0;
    stdout.on('data', (chunk: Buffer) => {
      // It prints two short lines: one that prints without end is stopped.
      printed += chunk.length;
      if (printed > MAX_OUTPUT) child.kill('SIGKILL');
    });
    this.#exited = new Promise((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), MAX_SECONDS * 1000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`small-files client: ${this.#stderr.trim() || `exited with ${code ?? signal}`}`));
      });
    });
    this.#exited.catch(() => undefined);
  }

  static async start(run: SmallFilesClientRun): Promise<SmallFilesClient> {
    const args = [
      run.script ?? join(__dirname, 'small-files-client-main.js'),
      '--address', run.address,
      '--user', run.user,
      '--files', String(run.files),
      '--threads', String(run.threads),
      '--bytes', String(run.bytes),
      '--replication', String(run.replication),
      '--dir', run.dir,
      '--warmup', String(run.warmupFiles),
    ];
    const client = new SmallFilesClient(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      const line = await client.#line();
      if ((JSON.parse(line) as { warm?: boolean }).warm !== true) throw new Error(`small-files client: expected its warm-up, got ${line.slice(0, 200)}`);
    } catch (err) {
      client.#child.kill('SIGKILL');
      await client.#exited.catch(() => undefined);
      throw err;
    }
    return client;
  }

  /** The client process's pid. */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Has the measured files written; resolves with the client's figures once they are. */
  async measure(): Promise<SmallFilesClientResult> {
    this.#child.stdin?.write('go\n');
    try {
      const line = await this.#line();
      const parsed = JSON.parse(line) as Partial<SmallFilesClientResult>;
      if (!parsed.result || typeof parsed.cpuMicros !== 'number') throw new Error(`small-files client printed no result: ${line.slice(0, 200)}`);
      return { result: parsed.result, cpuMicros: parsed.cpuMicros };
    } catch (err) {
      this.#child.kill('SIGKILL');
      throw err;
    }
  }

  /**
   * Has the client delete its directory (after the caller's counters are
   * read), or leave it (`keep`), and resolves once it exited cleanly.
   */
  done(keep = false): Promise<void> {
    this.#child.stdin?.end(keep ? 'keep\n' : 'delete\n');
    return this.#exited;
  }

  /** Stops a client that is still running (after a failure). */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited.catch(() => undefined);
  }

  async #line(): Promise<string> {
    // A failed exit rejects at once; after a clean one the lines still buffered are read.
    const next = await Promise.race([this.#lines.next(), this.#exited.then(() => new Promise<never>(() => undefined))]);
    if (next.done) {
      await this.#exited; // a failed exit's error carries the client's stderr
      throw new Error('small-files client exited before its answer');
    }
    return next.value;
  }
}

interface Flags {
  address: string;
  user: string;
  files: number;
  threads: number;
  bytes: number;
  replication: number;
  dir: string;
  warmup: number;
}

/**
 * The parent's word on stdin: `go` once it has sampled its counters,
 * `delete` (or `keep`) once it has read them again. Answers the word read.
 */
function parentWords(): (...words: string[]) => Promise<string> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  return async (...words) => {
    const next = await lines.next();
    const word = next.done ? undefined : next.value.trim();
    if (word === undefined || !words.includes(word)) throw new Error(`expected ${words.map((w) => `"${w}"`).join(' or ')} on stdin`);
    return word;
  };
}

async function smallFilesClient(flags: Flags): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: flags.threads }, (_, i) => NamenodeClient.connect(flags.address, flags.user, `nnfleet_bench_small_${process.pid}_${i}`, new RpcCounter())),
  );
  try {
    const first = clients[0] as NamenodeClient;
    await first.mkdirs(flags.dir);
    const write = { clients, threads: flags.threads, bytes: flags.bytes, replication: flags.replication };
    if (flags.warmup > 0) await writeSmallFiles({ ...write, files: flags.warmup, dir: `${flags.dir}/warmup` });
    const awaitWord = parentWords();
    process.stdout.write(`${JSON.stringify({ warm: true })}\n`);
    await awaitWord('go');
    const before = process.cpuUsage();
    const result = await writeSmallFiles({ ...write, files: flags.files, dir: `${flags.dir}/measured` });
    const cpu = process.cpuUsage(before);
    process.stdout.write(`${JSON.stringify({ result, cpuMicros: cpu.user + cpu.system })}\n`);
    // Kept when the parent writes more rounds on this fleet: on a file system without a journal,
    // ext4 skips recently deleted inodes when it allocates new ones, and a round right after
    // the previous one's delete paid for it (bench/README.md, stop 56).
    if ((await awaitWord('delete', 'keep')) === 'delete') await first.delete(flags.dir, true);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

function program(): Command {
  return new Command('small-files-client')
    .description("the bench's small-file writers in their own process: warm-up files, a JSON line; on \"go\" from stdin the measured files and their figures as a JSON line; on \"delete\" the directory deleted (on \"keep\" left)")
    .requiredOption('--address <host:port>', 'namenode')
    .requiredOption('--user <name>', 'user the calls run as')
    .requiredOption('--files <n>', 'measured files', parsePositiveInt)
    .option('--threads <n>', 'writers', parsePositiveInt, 16)
    .option('--bytes <n>', 'bytes per file', parsePositiveInt, 4096)
    .option('--replication <n>', 'replication factor', parsePositiveInt, 3)
    .requiredOption('--dir <path>', 'a directory the client makes and deletes at the end')
    .option('--warmup <n>', 'unmeasured files first', parseNonNegativeInt, 0)
    .action((flags: Flags) => smallFilesClient(flags));
}

if (require.main === module) runMain('small-files-client', program());
