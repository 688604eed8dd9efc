import { join } from 'node:path';
import { writeDatanodeKeyFile } from '../../cli/fleet/datanode-key-file';
import { runCli, type CliRun } from '../cli/cli-process';

export interface DatanodeProcess {
  readonly run: CliRun;
  readonly uuid: string;
  readonly xferPort: number;
}

/**
 * Datanodes as real `nnfleet datanode` processes (so they can be killed -9
 * and started again on the same directory), each proving membership with
 * the fleet's key file.
 */
export class DatanodeProcesses {
  readonly #keyFile: string;
  readonly #started: DatanodeProcess[] = [];

  constructor(
    readonly workDir: string,
    readonly namenodeAddress: string,
    membershipSecret: Buffer,
  ) {
    this.#keyFile = join(workDir, 'datanode.key');
    writeDatanodeKeyFile(this.#keyFile, membershipSecret);
  }

  /**
   * Starts a datanode on `<workDir>/<name>` (again, after a kill: the same
   * directory, the same uuid), reporting to `namenode` (a proxy, say);
   * `extraArgs` are more `nnfleet datanode` flags (a block store, say).
   */
  async start(name: string, namenode = this.namenodeAddress, extraArgs: readonly string[] = []): Promise<DatanodeProcess> {
    const run = runCli(
      ['datanode', '--data-dir', join(this.workDir, name), '--namenodes', namenode, '--host', '127.0.0.1', '--xfer-port', '0', '--heartbeat-interval-ms', '500', '--log-level', 'warn', '--datanode-key', this.#keyFile, ...extraArgs],
    );
    let m: RegExpMatchArray;
    try {
      m = await run.waitFor(/^datanode listening xfer=\S+:(\d+) uuid=(\S+)$/m, 30_000);
    } catch (e) {
      await run.stop();
      throw e;
    }
    const dn = { run, xferPort: Number(m[1]), uuid: m[2] as string };
    this.#started.push(dn);
    return dn;
  }

  /** kill -9, and waits for the process to be gone. */
  async kill(dn: DatanodeProcess): Promise<void> {
    dn.run.child.kill('SIGKILL');
    await dn.run.exited;
  }

  /** SIGTERM to each, SIGKILL to any still there after the grace period; waits until all are gone. */
  async stopAll(): Promise<void> {
    await Promise.all(this.#started.map((d) => d.run.stop()));
  }
}
