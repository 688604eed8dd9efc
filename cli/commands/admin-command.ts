import { adminWatchCommand } from './admin-watch-command';
import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Datanode__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/Datanode';
import { AdminCallError, AdminClient, type AdminConnection } from '../admin/admin-client';
import { formatDatanodes, formatFsckProblem, formatFsckSummary, formatNamenodes, formatReport } from '../admin/admin-format';
import { DEFAULT_GRPC_PORT } from '../fleet/grpc-port';
import { fleetStatePath, readFleetState } from '../fleet/fleet-state';

interface AdminFlags {
  grpc?: string;
  dataDir: string;
  user: string;
  tlsCa?: string;
  json?: boolean;
}

/** What every subcommand gets: a connected client and how to print. */
export interface AdminContext {
  readonly client: AdminClient;
  /** Where and as whom the client calls: for a subcommand that needs another service's client (e.g. watch over nnfleet.namespace.v1). */
  readonly connection: AdminConnection;
  readonly json: boolean;
  out(text: string): void;
}

/**
 * `nnfleet admin`: the fleet's operator commands over its gRPC admin API
 * (nnfleet.admin.v1), against any namenode or the balancer. A subcommand
 * is a name, its arguments and a function of an AdminContext: more (e.g.
 * `watch PATH` over nnfleet.namespace.v1) join by adding to
 * ADMIN_SUBCOMMANDS.
 */
export function adminCommand(): Command {
  const admin = new Command('admin')
    .description('operate the fleet over its gRPC admin API: report, namenodes, datanodes, decommission, recommission, fsck, safemode')
    .option('--grpc <host:port>', `a namenode's or the balancer's gRPC address (default: the running fleet's balancer under --data-dir, else 127.0.0.1:${DEFAULT_GRPC_PORT})`)
    .option('--data-dir <dir>', 'the `nnfleet up` fleet to find the balancer of', './.nnfleet')
    .option('--user <name>', 'call as this user (SIMPLE authentication; mutations need the superuser)', process.env['HADOOP_USER_NAME'] ?? userInfo().username)
    .option('--tls-ca <file>', "PEM of the CA that signed the namenodes' gRPC certificates (TLS)")
    .option('--json', 'print the answer as JSON');
  for (const sub of ADMIN_SUBCOMMANDS) {
    const cmd = new Command(sub.name).description(sub.description);
    for (const arg of sub.args ?? []) cmd.argument(arg);
    cmd.action((...args: unknown[]) => runAdmin(admin.opts<AdminFlags>(), (ctx) => sub.run(ctx, args.filter((a): a is string => typeof a === 'string'))));
    admin.addCommand(cmd);
  }
  // `watch PATH` follows the Namespace service's change feed (a stream, not an admin call).
  admin.addCommand(adminWatchCommand());
  return admin;
}

export interface AdminSubcommand {
  readonly name: string;
  readonly description: string;
  /** commander argument specs, e.g. '<HOST:PORT>', '[PATH]'. */
  readonly args?: readonly string[];
  run(ctx: AdminContext, args: readonly string[]): Promise<void>;
}

const printJson = (ctx: AdminContext, value: unknown) => ctx.out(`${JSON.stringify(value, null, 2)}\n`);

/** A change of one datanode's state, named by uuid or HOST:XFERPORT; prints it as it is afterwards. */
function datanodeChange(name: string, description: string, call: (client: AdminClient, datanode: string) => Promise<Datanode__Output>): AdminSubcommand {
  return {
    name,
    description,
    args: ['<datanode>'],
    run: async (ctx, [datanode]) => {
      const d = await call(ctx.client, datanode ?? '');
      if (ctx.json) printJson(ctx, d);
      else ctx.out(`${d.ipAddr}:${d.xferPort} ${d.uuid} ${d.state.replace('DATANODE_STATE_', '').toLowerCase()}\n`);
    },
  };
}

/** The subcommands of `nnfleet admin` on the Admin service (`watch PATH` is admin-watch-command.ts). */
export const ADMIN_SUBCOMMANDS: readonly AdminSubcommand[] = [
  {
    name: 'report',
    description: 'the whole fleet like `hdfs dfsadmin -report`: namenodes, leader, database, capacity, every datanode',
    run: async (ctx) => {
      const [status, datanodes] = await Promise.all([ctx.client.fleetStatus(), ctx.client.listDatanodes()]);
      if (ctx.json) printJson(ctx, { status, datanodes });
      else ctx.out(formatReport(status, datanodes));
    },
  },
  {
    name: 'namenodes',
    description: 'the live namenodes, the leader first',
    run: async (ctx) => {
      const status = await ctx.client.fleetStatus();
      if (ctx.json) printJson(ctx, status.namenodes);
      else ctx.out(formatNamenodes(status));
    },
  },
  {
    name: 'datanodes',
    description: 'every registered datanode with its state',
    run: async (ctx) => {
      const datanodes = await ctx.client.listDatanodes();
      if (ctx.json) printJson(ctx, datanodes);
      else ctx.out(formatDatanodes(datanodes));
    },
  },
  datanodeChange('decommission', 'take a datanode out of service: its blocks get copies elsewhere, then it is Decommissioned', (c, n) => c.decommission(n)),
  datanodeChange('recommission', 'put a decommissioning or decommissioned datanode back in service', (c, n) => c.recommission(n)),
  {
    name: 'fsck',
    description: "the namespace's health under PATH (default /); exit 1 when corrupt",
    args: ['[path]'],
    run: async (ctx, [path = '/']) => {
      const events = [];
      let healthy = false;
      for await (const e of ctx.client.fsck(path)) {
        if (ctx.json) events.push(e);
        else if (e.problem) ctx.out(formatFsckProblem(e.problem));
        else if (e.summary) ctx.out(formatFsckSummary(path, e.summary));
        if (e.summary) healthy = e.summary.healthy;
      }
      if (ctx.json) printJson(ctx, events);
      if (!healthy) process.exitCode = 1;
    },
  },
  {
    name: 'safemode',
    description: 'get, enter or leave safe mode (fleet-wide)',
    args: ['<get|enter|leave>'],
    run: async (ctx, [action]) => {
      if (action !== 'get' && action !== 'enter' && action !== 'leave') throw new Error(`safemode: get, enter or leave, not ${action}`);
      const on = await ctx.client.safeMode(action);
      if (ctx.json) printJson(ctx, { safeMode: on });
      else ctx.out(`Safe mode is ${on ? 'ON' : 'OFF'}\n`);
    },
  },
];

/** The balancer of the fleet running under --data-dir, else the default port on this host. */
function addressOf(flags: AdminFlags): string {
  if (flags.grpc !== undefined) return flags.grpc;
  const dataDir = resolve(flags.dataDir);
  const grpc = existsSync(fleetStatePath(dataDir)) ? readFleetState(dataDir).balancer.grpc : undefined;
  return grpc ?? `127.0.0.1:${DEFAULT_GRPC_PORT}`;
}

async function runAdmin(flags: AdminFlags, run: (ctx: AdminContext) => Promise<void>): Promise<void> {
  const connection: AdminConnection = { address: addressOf(flags), user: flags.user, tlsCa: flags.tlsCa !== undefined ? readFileSync(flags.tlsCa) : undefined };
  const client = new AdminClient(connection);
  try {
    await run({ client, connection, json: flags.json === true, out: (text) => process.stdout.write(text) });
  } catch (err) {
    if (!(err instanceof AdminCallError)) throw err;
    // As Hadoop's tools print a RemoteException: the class, then the message.
    process.stderr.write(`nnfleet admin: ${err.exceptionClass !== undefined ? `${err.exceptionClass}: ` : ''}${err.message}\n`);
    process.exitCode = 2;
  } finally {
    client.close();
  }
}
