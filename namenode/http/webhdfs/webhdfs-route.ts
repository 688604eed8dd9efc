import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { NamesystemError } from '../../errors';
import type { Namesystem } from '../../namesystem';
import type { CallerResolver } from '../../security/caller-resolver';
import type { HttpRoute } from '../http-route';
import { DatanodeRedirects } from './datanode-redirect';
import { GET_OPS } from './get-ops';
import { DELETE_OPS, POST_OPS } from './post-delete-ops';
import { PUT_OPS } from './put-ops';
import { sendJson, sendRemoteException } from './remote-exception';
import { WebHdfsParams } from '../../../protocol/webhdfs/webhdfs-params';
import { illegalArgumentError, invalidParam } from './invalid-param';
import type { WebHdfsAnswer, WebHdfsOp } from './webhdfs-op';

export const WEBHDFS_PREFIX = '/webhdfs/v1';

/** The op tables per HTTP method, with the Java enum each op name is parsed as (for Hadoop's error text). */
const METHODS: readonly { method: HttpRoute['method']; ops: Readonly<Record<string, WebHdfsOp>>; enumClass: string }[] = [
  { method: 'GET', ops: GET_OPS, enumClass: 'GetOpParam' },
  { method: 'PUT', ops: PUT_OPS, enumClass: 'PutOpParam' },
  { method: 'POST', ops: POST_OPS, enumClass: 'PostOpParam' },
  { method: 'DELETE', ops: DELETE_OPS, enumClass: 'DeleteOpParam' },
];

/** SIMPLE authentication's anonymous user (hadoop.http.staticuser.user). */
const ANONYMOUS = 'dr.who';

export interface WebHdfsOptions {
  readonly ns: Namesystem;
  readonly callers: CallerResolver;
  /** host:port of this namenode's RPC server, for the datanodes it redirects to. */
  readonly rpcAddress: string;
  readonly logger: Logger;
  /** Where each call's latency and outcome go, as `webhdfs.<OP>` beside the IPC methods (the namenode's metrics). */
  readonly metrics?: { observeCall(method: string, outcome: 'ok' | 'error', seconds: number): void };
}

/**
 * WebHDFS on the namenode's HTTP port, as NamenodeWebHdfsMethods: every
 * call is parsed and validated, its caller resolved (user.name, doas under
 * the proxy-user rules), then one Namesystem method runs with its
 * permission checks; an error of any kind is answered once, by
 * sendRemoteException. A thin adapter, like the IPC one.
 */
export function webhdfsRoutes(o: WebHdfsOptions): HttpRoute[] {
  const redirects = new DatanodeRedirects(o.ns, o.rpcAddress);
  return METHODS.flatMap(({ method, ops, enumClass }) => {
    const handle = (req: IncomingMessage, res: ServerResponse, url: URL) => serve(o, redirects, ops, enumClass, req, res, url);
    return [`${WEBHDFS_PREFIX}/`, WEBHDFS_PREFIX].map((path): HttpRoute => ({ method, path, handle }));
  });
}

async function serve(
  o: WebHdfsOptions,
  redirects: DatanodeRedirects,
  ops: Readonly<Record<string, WebHdfsOp>>,
  enumClass: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const started = performance.now();
  let observed: string | undefined;
  try {
    const params = new WebHdfsParams(url.searchParams, illegalArgumentError);
    const opName = (params.str('op') ?? '').toUpperCase();
    const op = ops[opName];
    if (!op) throw invalidParam('op', opName, `No enum constant org.apache.hadoop.hdfs.web.resources.${enumClass}.Op.${opName}`);
    // Only known ops get a series of their own: a client cannot mint label values.
    observed = `webhdfs.${opName}`;
    const user = params.str('user.name') ?? ANONYMOUS;
    const doAs = params.str('doas');
    const caller = o.callers.resolve(doAs !== undefined ? { user: doAs, realUser: user, remoteAddress: req.socket.remoteAddress } : { user, remoteAddress: req.socket.remoteAddress });
    const answer = await op({ ns: o.ns, caller, path: pathOf(url.pathname), params, redirects, res });
    send(res, answer, params.bool('noredirect', false));
    if (observed) o.metrics?.observeCall(observed, 'ok', (performance.now() - started) / 1000);
  } catch (err) {
    if (observed) o.metrics?.observeCall(observed, 'error', (performance.now() - started) / 1000);
    sendRemoteException(res, err, o.logger);
  }
}

/** The HDFS path after /webhdfs/v1, percent-decoded; "/" for the root. */
function pathOf(pathname: string): string {
  let path: string;
  try {
    path = decodeURIComponent(pathname.slice(WEBHDFS_PREFIX.length));
  } catch {
    throw new NamesystemError('JavaIllegalArgument', `Invalid path encoding: ${pathname}`);
  }
  return path === '' ? '/' : path;
}

function send(res: ServerResponse, answer: WebHdfsAnswer, noRedirect: boolean): void {
  if ('streamed' in answer) return;
  if ('json' in answer) return sendJson(res, 200, answer.json);
  if ('redirect' in answer) {
    // noredirect=true: the Location in a 200 answer, for clients that cannot follow a 307 with a body (HDFS-9932).
    if (noRedirect) return sendJson(res, 200, { Location: answer.redirect });
    res.writeHead(307, { Location: answer.redirect, 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
  res.end();
}
