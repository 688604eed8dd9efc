import { randomBytes } from 'node:crypto';
import { IpcClient } from '../../protocol/ipc/client';
import type { MessageDecoder, MessageEncoder } from '../../protocol/ipc/rpc-handler';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';

/**
 * One Hadoop client identity (a 16-byte client id) connected to several
 * namenodes at once, so a test can send one call — the same (clientId,
 * callId) — first to one namenode and then, as a failover retry with a
 * retry count, to another: what Hadoop's RetryCache is keyed on.
 */
export class SameCallClient {
  #nextCallId = 1;

  private constructor(
    readonly clientId: Buffer,
    readonly conns: readonly IpcClient[],
  ) {}

  static async connect(ports: readonly number[], user: string): Promise<SameCallClient> {
    const clientId = randomBytes(16);
    const conns = await Promise.all(ports.map((port) => IpcClient.connect({ host: '127.0.0.1', port, user, protocolName: CLIENT_PROTOCOL, clientId })));
    return new SameCallClient(clientId, conns);
  }

  /** A fresh call id, never used before by this client. */
  newCallId(): number {
    return this.#nextCallId++;
  }

  /** Sends call `callId` to namenode `index`; `retryCount` > 0 marks it as a retry of an earlier attempt. */
  call<Req, Res>(index: number, method: string, reqType: MessageEncoder<Req>, req: Req, resType: MessageDecoder<Res>, callId: number, retryCount = -1): Promise<Res> {
    const conn = this.conns[index];
    if (!conn) throw new Error(`no connection ${index}`);
    return conn.call(method, reqType, req, resType, { callId, retryCount });
  }

  close(): void {
    for (const c of this.conns) c.close();
  }
}
