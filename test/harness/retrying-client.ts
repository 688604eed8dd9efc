import { randomBytes } from 'node:crypto';
import { IpcClient } from '../../protocol/ipc/client';
import { IpcConnectionError, RemoteError } from '../../protocol/ipc/ipc-errors';
import type { MessageDecoder, MessageEncoder } from '../../protocol/ipc/rpc-handler';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';

/** What a Hadoop client's retry policy treats as "try again, maybe elsewhere". */
const RETRIABLE_CLASSES = new Set(['org.apache.hadoop.ipc.RetriableException', 'org.apache.hadoop.ipc.StandbyException']);

/**
 * A client that behaves like Hadoop's on failover: one client id for its
 * life; a call that loses its connection is sent again on a new connection
 * (through the balancer, so usually to another namenode) with the SAME call
 * id and a growing retry count — which is what lets the server's retry
 * cache recognise it.
 */
export class RetryingClient {
  readonly clientId = randomBytes(16);
  #conn: Promise<IpcClient> | undefined;
  #nextCallId = 0;
  retriedCalls = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly user: string,
    readonly maxAttempts = 40,
  ) {}

  async call<Req, Res>(method: string, reqType: MessageEncoder<Req>, req: Req, resType: MessageDecoder<Res>): Promise<{ response: Res; attempts: number }> {
    const callId = this.#nextCallId++;
    for (let attempt = 0; ; attempt++) {
      try {
        this.#conn ??= IpcClient.connect({ host: this.host, port: this.port, user: this.user, protocolName: CLIENT_PROTOCOL, clientId: this.clientId, connectTimeoutMs: 2000 });
        const conn = await this.#conn;
        const response = await conn.call(method, reqType, req, resType, { callId, retryCount: attempt === 0 ? -1 : attempt });
        if (attempt > 0) this.retriedCalls++;
        return { response, attempts: attempt + 1 };
      } catch (e) {
        const retriable = e instanceof IpcConnectionError || (e instanceof RemoteError && RETRIABLE_CLASSES.has(e.className));
        if (!retriable || attempt + 1 >= this.maxAttempts) throw e;
        if (e instanceof IpcConnectionError) {
          const stale = this.#conn;
          this.#conn = undefined;
          void stale?.then((c) => c.close()).catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
      }
    }
  }

  close(): void {
    void this.#conn?.then((c) => c.close()).catch(() => undefined);
  }
}
