import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running `nnfleet up` tells other commands about its fleet (DIR/fleet.json). */
export interface FleetState {
  /** Of the `up` process: the state is stale once it is gone. */
  readonly pid: number;
  readonly startedAt: string;
  /** host:port of haproxy's frontends. */
  readonly balancer: { readonly rpc: string; readonly http: string; readonly grpc?: string };
  /** The metadata database(s), passwords removed: the state file is not a secret. */
  readonly databases: readonly string[];
  readonly namenodes: readonly { readonly name: string; readonly pid: number; readonly rpc: string; readonly http: string; readonly grpc?: string }[];
  readonly datanodes: readonly { readonly name: string; readonly pid: number; readonly xfer: string; readonly uuid: string }[];
  /** Where `up` wrote the client's core-site.xml and hdfs-site.xml. */
  readonly clientConfigDir: string;
}

export function fleetStatePath(dataDir: string): string {
  return join(dataDir, 'fleet.json');
}

/** Written atomically: a reader never sees half a file. */
export function writeFleetState(dataDir: string, state: FleetState): void {
  const path = fleetStatePath(dataDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function removeFleetState(dataDir: string): void {
  rmSync(fleetStatePath(dataDir), { force: true });
}

/** The state of the fleet running from `dataDir`; fails with what to do when there is none. */
export function readFleetState(dataDir: string): FleetState {
  const path = fleetStatePath(dataDir);
  let state: FleetState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as FleetState;
  } catch {
    throw new Error(`no fleet state at ${path}: is \`nnfleet up --data-dir ${dataDir}\` running? (or pass --mysql URL)`);
  }
  if (!isAlive(state.pid)) {
    throw new Error(`${path} is left from \`nnfleet up\` pid ${state.pid}, which is no longer running`);
  }
  return state;
}

/** Two `up`s on one data dir would fight over its database, ports and datanode storage. */
export function assertNoFleetRunning(dataDir: string): void {
  let pid: number;
  try {
    pid = (JSON.parse(readFileSync(fleetStatePath(dataDir), 'utf8')) as FleetState).pid;
  } catch {
    return;
  }
  if (pid !== process.pid && isAlive(pid)) throw new Error(`a fleet already runs from ${dataDir} (nnfleet up pid ${pid})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
