import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { listenHttp, type ListeningHttpServer } from '../../protocol/webhdfs/http-listener';
import { WebHdfsParams } from '../../protocol/webhdfs/webhdfs-params';
import { BadWebHdfsRequest, sendDatanodeError } from './datanode-webhdfs-error';
import { connectToNamenode } from './webhdfs-client-session';
import { appendFile, createFile, getFileChecksum, openFile, type DataOpContext } from './webhdfs-data-ops';

const PREFIX = '/webhdfs/v1';

export interface DatanodeHttpOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** host:port of the namenodes this datanode reports to: the only ones a request may name. */
  readonly namenodes: readonly string[];
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly logger: Logger;
}

export type RunningDatanodeHttp = ListeningHttpServer;

/** The data ops a namenode redirects here, by HTTP method (Hadoop's datanode WebHdfsHandler). */
const OPS: Readonly<Record<string, Readonly<Record<string, (c: DataOpContext) => Promise<void>>>>> = {
  PUT: { CREATE: createFile },
  POST: { APPEND: appendFile },
  GET: { OPEN: openFile, GETFILECHECKSUM: getFileChecksum },
};

/**
 * The datanode's HTTP port (its infoPort): WebHDFS's second step. Each
 * request is served as an HDFS client would: IPC to the namenode that
 * sent it, DataTransferProtocol to the datanodes holding the blocks.
 */
export function startDatanodeHttp(o: DatanodeHttpOptions): Promise<RunningDatanodeHttp> {
  const server = createServer((req, res) => void serve(o, req, res));
  // A client that stops sending mid-upload must not hold the pipeline forever.
  server.requestTimeout = 0;
  server.timeout = o.socketTimeoutMs;
  return listenHttp(server, o.host, o.port, (err) => o.logger.error({ err }, 'datanode http server error'));
}

async function serve(o: DatanodeHttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://datanode');
    if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`no such resource: ${url.pathname}\n`);
      return;
    }
    const params = new WebHdfsParams(url.searchParams, (m) => new BadWebHdfsRequest(m));
    const opName = (params.str('op') ?? '').toUpperCase();
    // As Hadoop's WebHdfsHandler: any page may read what a datanode answers, and the
    // preflight of a cross-origin CREATE (the namenode web UI's upload) is allowed.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS' && opName === 'CREATE') return allowCorsOnCreate(res);
    const op = OPS[req.method ?? '']?.[opName];
    if (!op) throw new BadWebHdfsRequest(`Invalid value for webhdfs parameter "op": ${opName} is not served by a datanode over ${req.method ?? ''}`);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname.slice(PREFIX.length)) || '/';
    } catch {
      throw new BadWebHdfsRequest(`Invalid path encoding: ${url.pathname}`);
    }
    const client = await connectToNamenode(params, o.namenodes);
    try {
      await op({ client, path, params, req, res, connectTimeoutMs: o.connectTimeoutMs, socketTimeoutMs: o.socketTimeoutMs });
    } finally {
      await client.close().catch(() => undefined);
    }
  } catch (err) {
    sendDatanodeError(res, err, o.logger);
  }
}

/** The answer to a browser's preflight before its cross-origin PUT of a CREATE's bytes. */
function allowCorsOnCreate(res: ServerResponse): void {
  res.writeHead(200, {
    'Access-Control-Allow-Headers': 'Accept, Content-Type',
    'Access-Control-Allow-Methods': 'PUT',
    'Access-Control-Max-Age': '1728000',
    'Content-Length': 0,
  });
  res.end();
}
