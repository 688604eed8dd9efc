import { join } from 'node:path';
import { spawnDatanode, type DatanodeChild } from '../fleet/datanode-child';
import { waitDatanodesLive } from '../fleet/wait-datanodes-live';

export interface BenchDatanodes {
  readonly children: readonly DatanodeChild[];
  stop(): Promise<void>;
}

/**
 * `count` datanode processes (`nnfleet datanode`, as `up` runs them) on
 * loopback, each with its own data dir under `dir`, awaited until the
 * namenode reports them live.
 */
export async function startBenchDatanodes(
  dir: string,
  namenode: { host: string; rpcPort: number },
  keyFile: string,
  count: number,
  /** Their name prefix and more `nnfleet datanode` flags (a block store's, say). */
  kind: { name: string; extraArgs?: readonly string[] } = { name: 'datanode' },
): Promise<BenchDatanodes> {
  const children: DatanodeChild[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    for (let i = 1; i <= count; i++) {
      children.push(
        await spawnDatanode({
          name: `bench-${kind.name}-${i}`,
          host: '127.0.0.1',
          dataDir: join(dir, `${kind.name}-${i}`),
          namenodes: [`${namenode.host}:${namenode.rpcPort}`],
          logDir: join(dir, 'logs'),
          logLevel: 'warn',
          keyFile,
          blockAccessTokens: true,
          ...(kind.extraArgs ? { extraArgs: kind.extraArgs } : {}),
        }),
      );
    }
    await waitDatanodesLive(namenode.host, namenode.rpcPort, children.map((c) => c.uuid), 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { children, stop };
}
