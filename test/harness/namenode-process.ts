import { formatMysqlUrl } from '../../cli/fleet/mysql-url';
import type { MysqlConfig } from '../../schema/mysql-config';
import { runCli, type CliRun } from '../cli/cli-process';

export interface NamenodeProcess {
  readonly pid: number;
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly run: CliRun;
  stop(): Promise<void>;
}

/** `nnfleet namenode` as a real process of the built CLI, on free ports; `extra` are further flags (-D key=value). */
export async function startNamenodeProcess(mysql: MysqlConfig, extra: readonly string[] = []): Promise<NamenodeProcess> {
  const run = runCli(['namenode', '--mysql', formatMysqlUrl(mysql), '--host', '127.0.0.1', '--rpc-port', '0', '--http-port', '0', '--log-level', 'warn', ...extra]);
  let m: RegExpMatchArray;
  try {
    m = await run.waitFor(/^namenode listening rpc=127\.0\.0\.1:(\d+) http=127\.0\.0\.1:(\d+)$/m, 30_000);
  } catch (e) {
    await run.stop();
    throw e;
  }
  return {
    pid: run.pid,
    rpcPort: Number(m[1]),
    httpPort: Number(m[2]),
    run,
    stop: async () => {
      await run.stop();
    },
  };
}
