import type { LoadgenReport } from '../loadgen-result';
import { emitReport } from '../run-loadgen';
import { runWebHdfsLoad, type WebHdfsLoadOptions } from './webhdfs-mode';

/** `nnfleet loadgen webhdfs`: runs the load, prints the tables, writes the reports like every other mode. */
export async function runWebHdfsLoadgen(options: WebHdfsLoadOptions, files: { readonly json?: string; readonly html?: string }, out: NodeJS.WritableStream = process.stdout): Promise<LoadgenReport> {
  const startedAt = new Date().toISOString();
  const phases = await runWebHdfsLoad(options);
  const data = options.op === 'OPEN' || options.op === 'CREATE' ? `real: ${options.fileSize}-byte files through the datanodes' WebHDFS` : 'metadata only (namenode WebHDFS)';
  const report: LoadgenReport = { tool: 'nnfleet loadgen', mode: 'webhdfs', startedAt, namenodes: options.namenodes, dataPath: data, options: { ...options }, phases };
  emitReport(report, files, out);
  return report;
}
