import { connect } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { decodeResponseFrame, type DecodedResponseFrame } from '../../protocol/ipc/frame-codec';
import { FrameDecoder } from '../../protocol/ipc/frame-decoder';
import { protoHandler, type ErrorMapper } from '../../protocol/ipc/rpc-handler';
import { IpcServer, type IpcServerOptions } from '../../protocol/ipc/server';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';

const hdfs = hadoop.hdfs;

/** The typed error a namespace layer would throw; mapped once by the front door. */
export class NotFound extends Error {}

export const mapTestError: ErrorMapper = (err) =>
  err instanceof NotFound
    ? { className: ExceptionClass.FileNotFound, message: err.message }
    : { className: ExceptionClass.IO, message: err instanceof Error ? err.message : String(err) };

export function directoryStatus(name: string, owner = 'hdfs'): hadoop.hdfs.HdfsFileStatusProto.$Properties {
  return {
    fileType: hdfs.HdfsFileStatusProto.FileType.IS_DIR,
    path: Buffer.from(name),
    length: 0,
    permission: { perm: 0o755 },
    owner,
    group: 'supergroup',
    modificationTime: 1_700_000_000_000,
    accessTime: 0,
    fileId: 16385,
    childrenNum: 0,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A tiny ClientProtocol: getFileInfo answers for "/" (owner = caller),
 * "/slow/<ms>" after a delay, throws NotFound elsewhere; getListing lists
 * one directory, "tmp"; mkdirs throws a plain Error.
 */
export async function startTestServer(options: IpcServerOptions = {}): Promise<{ server: IpcServer; port: number }> {
  const server = new IpcServer({ mapError: mapTestError, ...options });
  server.registerAll(CLIENT_PROTOCOL, {
    getFileInfo: protoHandler(hdfs.GetFileInfoRequestProto, hdfs.GetFileInfoResponseProto, async (ctx, req) => {
      if (req.src === '/') return { fs: directoryStatus('', ctx.user) };
      const slow = /^\/slow\/(\d+)$/.exec(req.src);
      if (slow) {
        await sleep(Number(slow[1]));
        return { fs: directoryStatus(req.src.slice(1)) };
      }
      throw new NotFound(`File does not exist: ${req.src}`);
    }),
    getListing: protoHandler(hdfs.GetListingRequestProto, hdfs.GetListingResponseProto, async (_ctx, req) => ({
      // Listing pages resume after startAfter; "tmp" is the only child.
      dirList: { partialListing: req.startAfter.length === 0 ? [directoryStatus('tmp')] : [], remainingEntries: 0 },
    })),
    mkdirs: protoHandler(hdfs.MkdirsRequestProto, hdfs.MkdirsResponseProto, async () => {
      throw new Error('disk on fire');
    }),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port };
}

export interface RawOutcome {
  answers: DecodedResponseFrame[];
  raw: Buffer;
  closedByServer: boolean;
}

/** Sends bytes on a fresh connection and collects what comes back until the server closes it. */
export function rawExchange(port: number, bytes: Buffer, options: { endAfterWrite?: boolean; waitMs?: number } = {}): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const finish = (): void => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      let answers: DecodedResponseFrame[] = [];
      try {
        answers = new FrameDecoder().push(raw).map((frame) => decodeResponseFrame(frame));
      } catch {
        answers = [];
      }
      resolve({ answers, raw, closedByServer });
    };
    const timer = setTimeout(() => {
      socket.destroy();
    }, options.waitMs ?? 3000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', () => {
      closedByServer = true;
    });
    socket.on('close', finish);
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}
