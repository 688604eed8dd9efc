import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { clientMessageOf } from '../domain/hadoop-exceptions';
import type { NamespaceCheck } from '../domain/namespace-check';
import type { Namesystem } from '../namesystem';
import type { CallerResolver } from '../security/caller-resolver';
import type { HttpRoute } from './http-route';


/** NamenodeFsck's last-line statuses: DFSck decides its exit code by how the last line ends. */
const HEALTHY_STATUS = 'is HEALTHY';
const CORRUPT_STATUS = 'is CORRUPT';
const NONEXISTENT_STATUS = 'does not exist';
const FAILURE_STATUS = 'FAILED';

/**
 * HDFS's FsckServlet (`hdfs fsck PATH` calls `GET /fsck?ugi=USER&path=PATH`
 * on the namenode's web port and prints the streamed text): the header,
 * the path's totals, the fleet's block health, and for the superuser the
 * namespace invariants nnfleet's fsck checks on the tables (a whole-table
 * scan, so nobody else may start it). The last line ends as NamenodeFsck's
 * do, which is all DFSck parses. -files, -blocks, -locations and -racks are
 * accepted; nnfleet prints no per-file lines.
 */
export function fsckRoute(ns: Namesystem, callers: CallerResolver, checkNamespace: () => Promise<NamespaceCheck>, logger: Logger): HttpRoute {
  return {
    method: 'GET',
    path: '/fsck',
    handle: async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      const path = url.searchParams.get('path') ?? '/';
      // JspHelper.getUGI under SIMPLE authentication: user.name, else ugi, else the anonymous web user.
      const user = url.searchParams.get('user.name') ?? url.searchParams.get('ugi') ?? 'dr.who';
      const remote = req.socket.remoteAddress ?? '';
      const started = Date.now();
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.write(`FSCK started by ${user} (auth:SIMPLE) from /${remote} for path ${path} at ${new Date(started).toString()}\n`);
      const ended = () => `FSCK ended at ${new Date().toString()} in ${Date.now() - started} milliseconds\n`;
      try {
        const caller = callers.resolve({ user, remoteAddress: remote });
        if (!(await ns.getFileInfo(caller, path))) {
          res.end(`${ended()}\n\nPath '${path}' ${NONEXISTENT_STATUS}`);
          return;
        }
        const [summary, stats, live] = await Promise.all([ns.getContentSummary(caller, path), ns.getFsStats(), ns.getDatanodeReport('live')]);
        const check = caller.isSuperuser ? await checkNamespace() : undefined;
        for (const p of check?.problems ?? []) res.write(`CORRUPT: ${p.invariant}: ${JSON.stringify(p.sample)}\n`);
        const healthy = stats.missingBlocks === 0 && stats.corruptBlocks === 0 && (check?.healthy ?? true);
        res.write(
          [
            '',
            `Status: ${healthy ? 'HEALTHY' : 'CORRUPT'}`,
            ` Number of data-nodes:\t${live.length}`,
            ' Number of racks:\t1',
            ` Total dirs:\t${summary.directoryCount}`,
            ' Total symlinks:\t0',
            '',
            'Replicated Blocks:',
            ` Total size:\t${summary.length} B`,
            ` Total files:\t${summary.fileCount}`,
            ` Default replication factor:\t${ns.getServerDefaults().replication}`,
            // The block manager counts these for the whole fleet, not per path.
            ` Missing blocks:\t${stats.missingBlocks}`,
            ` Corrupt blocks:\t${stats.corruptBlocks}`,
            ` Under-replicated blocks:\t${stats.underReplicated}`,
            ` Blocks queued for deletion:\t${stats.pendingDeletionBlocks}`,
            ...(check ? [` Namespace invariants:\t${check.problems.length === 0 ? 'OK' : `${check.problems.length} broken`} (${check.reachable} of ${check.inodes} inodes reachable from /)`] : []),
            '',
          ].join('\n'),
        );
        res.end(`${ended()}\n\nThe filesystem under path '${path}' ${healthy ? HEALTHY_STATUS : CORRUPT_STATUS}`);
      } catch (err) {
        // NamenodeFsck's failure report, with the message a client may see (an untyped error is logged, not shown).
        const { message, incidentId } = clientMessageOf(err);
        if (incidentId !== undefined) logger.error({ err, incidentId, path }, 'fsck failed');
        res.end(`${ended()}${message}\n\n\nFsck on path '${path}' ${FAILURE_STATUS}`);
      }
    },
  };
}
