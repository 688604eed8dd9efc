import { execProcess } from '../harness/process-fixture';

/** What `nnfleet up` printed about its fleet: addresses and pids, read as a script would. */
export interface FleetOutput {
  /** host:port of haproxy's Hadoop IPC frontend. */
  readonly balancer: string;
  /** http://host:port of haproxy's HTTP frontend. */
  readonly balancerHttp: string;
  readonly namenodes: readonly { readonly name: string; readonly pid: number; readonly rpc: string; readonly http: string }[];
  readonly pids: { readonly mariadb?: number; readonly haproxy: number; readonly datanodes: readonly number[] };
  readonly clientConfigDir: string;
}

export function parseFleetOutput(stdout: string): FleetOutput {
  const ready = stdout.match(/^ready hdfs:\/\/(\S+) (http:\/\/\S+) fs\.defaultFS=hdfs:\/\/\1 client-config=(\S+)$/m);
  const haproxy = stdout.match(/^haproxy pid=(\d+) /m);
  if (!ready?.[1] || !ready[2] || !ready[3] || !haproxy?.[1]) throw new Error(`no ready/haproxy line in:\n${stdout}`);
  const mariadb = stdout.match(/^database ready .* pid=(\d+)$/m)?.[1];
  return {
    balancer: ready[1],
    balancerHttp: ready[2],
    namenodes: [...stdout.matchAll(/^(namenode-\d+) pid=(\d+) listening rpc=(\S+) http=(\S+)/gm)].map((m) => ({
      name: m[1] ?? '',
      pid: Number(m[2]),
      rpc: m[3] ?? '',
      http: m[4] ?? '',
    })),
    pids: {
      ...(mariadb !== undefined ? { mariadb: Number(mariadb) } : {}),
      haproxy: Number(haproxy[1]),
      datanodes: [...stdout.matchAll(/^datanode-\d+ pid=(\d+) listening/gm)].map((m) => Number(m[1])),
    },
    clientConfigDir: ready[3],
  };
}

export function allPids(fleet: FleetOutput): number[] {
  return [...(fleet.pids.mariadb !== undefined ? [fleet.pids.mariadb] : []), fleet.pids.haproxy, ...fleet.namenodes.map((n) => n.pid), ...fleet.pids.datanodes];
}

/** The text of every node matching `xpath` in an XML file, through xmllint: a real parser, so malformed XML fails. */
export async function xpathValues(file: string, xpath: string): Promise<string[]> {
  const { stdout } = await execProcess('xmllint', ['--xpath', `${xpath}/text()`, file]);
  return stdout.split('\n').filter((s) => s !== '');
}
