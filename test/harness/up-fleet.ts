import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAllGone, runCli, type CliRun } from '../cli/cli-process';
import { allPids, parseFleetOutput, type FleetOutput } from '../cli/fleet-output';
import { execProcess } from './process-fixture';

/** `up` stops its whole fleet on SIGTERM: time for that before SIGKILL. */
const UP_GRACE_MS = 30_000;

export interface UpFleet {
  readonly fleet: FleetOutput;
  readonly dir: string;
  readonly up: CliRun;
  /** SIGTERM to `nnfleet up`; waits until every process it started is gone, then removes its directory. */
  stop(): Promise<void>;
}

/** `nnfleet up` on free ports in a fresh directory (or `dir`, to start again on what a fleet left), as a user starts a fleet; resolves once it says ready. */
export async function upFleet(prefix: string, opts: { namenodes: number; datanodes: number; defines?: readonly string[]; args?: readonly string[]; dir?: string }): Promise<UpFleet> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `${prefix}-`));
  const defines = (opts.defines ?? []).flatMap((d) => ['-D', d]);
  const up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0', '--namenodes', String(opts.namenodes), '--datanodes', String(opts.datanodes), '--log-level', 'warn', ...defines, ...(opts.args ?? [])]);
  try {
    await up.waitFor(/^ready hdfs:/m, 90_000);
  } catch (e) {
    await up.stop(UP_GRACE_MS);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const fleet = parseFleetOutput(up.stdout());
  return {
    fleet,
    dir,
    up,
    stop: async () => {
      await up.stop(UP_GRACE_MS);
      await expectAllGone(allPids(fleet), 15_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface UpSwift {
  readonly pid: number;
  readonly authUrl: string;
  readonly container: string;
  /** python3-swiftclient's `swift list` of a container, as TempAuth's test:tester. */
  list(container: string): Promise<string[]>;
}

/** The private Swift that `nnfleet up --block-store swift` said it started. */
export function swiftOfUp(up: UpFleet): UpSwift {
  const m = up.up.stdout().match(/^swift ready \S+ pid=(\d+) auth=(\S+) container=(\S+) /m);
  if (!m?.[1] || !m[2] || !m[3]) throw new Error(`no swift line in:\n${up.up.stdout()}`);
  const authUrl = m[2];
  return {
    pid: Number(m[1]),
    authUrl,
    container: m[3],
    list: async (c) => (await execProcess('/usr/bin/swift', ['-A', authUrl, '-U', 'test:tester', '-K', 'testing', 'list', c], { timeoutMs: 30_000 })).stdout.split('\n').filter((l) => l !== ''),
  };
}
