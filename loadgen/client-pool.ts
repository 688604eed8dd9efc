import { NamenodeClient, RpcCounter } from '../protocol/client/namenode-client';

export interface ClientPoolOptions {
  /** HOST:PORT of each namenode, or of the balancer in front of them. */
  readonly namenodes: readonly string[];
  readonly user: string;
  /** Connections in all; spread round-robin over the namenodes. */
  readonly connections: number;
}

/**
 * The load generator's connections. Workers share them round-robin, as the
 * threads of one Hadoop client share its connection; more connections spread
 * load over more namenodes (or more balancer backends).
 */
export class ClientPool {
  readonly counter: RpcCounter;
  readonly #clients: readonly NamenodeClient[];

  private constructor(clients: readonly NamenodeClient[], counter: RpcCounter) {
    this.#clients = clients;
    this.counter = counter;
  }

  static async open(opts: ClientPoolOptions): Promise<ClientPool> {
    if (opts.namenodes.length === 0) throw new Error('no namenode addresses given');
    const counter = new RpcCounter();
    const n = Math.max(1, opts.connections);
    const settled = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        NamenodeClient.connect(opts.namenodes[i % opts.namenodes.length] as string, opts.user, `nnfleet_loadgen_${process.pid}_${i}`, counter),
      ),
    );
    const clients = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(clients.map((c) => c.close()));
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return new ClientPool(clients, counter);
  }

  /** The connection worker `index` uses. */
  forWorker(index: number): NamenodeClient {
    return this.#clients[index % this.#clients.length] as NamenodeClient;
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.map((c) => c.close()));
  }
}
