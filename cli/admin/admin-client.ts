import { credentials, loadPackageDefinition, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import type { ProtoGrpcType } from '../../protocol/generated/nnfleet/admin';
import type { AdminClient as GeneratedAdminClient } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/Admin';
import type { Datanode__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/Datanode';
import type { DatanodeFilter } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/DatanodeFilter';
import type { FleetStatusResponse__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FleetStatusResponse';
import type { FsckEvent__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FsckEvent';
import { nnfleetPackageDefinition } from '../../protocol/grpc/nnfleet-protos';

import { USER_METADATA } from '../../namenode/grpc/call-identity';
import { EXCEPTION_CLASS_TRAILER } from '../../namenode/grpc/grpc-errors';

export interface AdminConnection {
  /** host:port of a namenode's (or the balancer's) gRPC port. */
  readonly address: string;
  /** The user the calls run as (SIMPLE authentication). */
  readonly user: string;
  /** PEM of the CA that signed the server's certificate: TLS; plaintext when absent. */
  readonly tlsCa?: Buffer | undefined;
  readonly deadlineMs?: number;
}

/** A failed call: the gRPC status and, when the namenode named one, the Hadoop exception class. */
export class AdminCallError extends Error {
  readonly code: number;
  readonly exceptionClass: string | undefined;

  constructor(err: ServiceError) {
    super(err.details || err.message);
    this.code = err.code;
    const cls = err.metadata?.get(EXCEPTION_CLASS_TRAILER)[0];
    this.exceptionClass = typeof cls === 'string' ? cls : undefined;
  }
}

/** nnfleet.admin.v1.Admin for `nnfleet admin`: one promise per call, the fsck stream as an async iterator. */
export class AdminClient {
  readonly #client: GeneratedAdminClient;
  readonly #o: AdminConnection;

  constructor(o: AdminConnection) {
    this.#o = o;
    const proto = loadPackageDefinition(nnfleetPackageDefinition()) as unknown as ProtoGrpcType;
    const creds: ChannelCredentials = o.tlsCa ? credentials.createSsl(o.tlsCa) : credentials.createInsecure();
    this.#client = new proto.nnfleet.admin.v1.Admin(o.address, creds);
  }

  close(): void {
    this.#client.close();
  }

  fleetStatus(): Promise<FleetStatusResponse__Output> {
    return this.#unary((m, o, cb) => this.#client.FleetStatus({}, m, o, cb));
  }

  async listDatanodes(filter: DatanodeFilter = 'DATANODE_FILTER_ALL'): Promise<Datanode__Output[]> {
    return (await this.#unary<{ datanodes: Datanode__Output[] }>((m, o, cb) => this.#client.ListDatanodes({ filter }, m, o, cb))).datanodes;
  }

  getDatanode(datanode: string): Promise<Datanode__Output> {
    return this.#unary((m, o, cb) => this.#client.GetDatanode({ datanode }, m, o, cb));
  }

  decommission(datanode: string): Promise<Datanode__Output> {
    return this.#unary((m, o, cb) => this.#client.Decommission({ datanode }, m, o, cb));
  }

  recommission(datanode: string): Promise<Datanode__Output> {
    return this.#unary((m, o, cb) => this.#client.Recommission({ datanode }, m, o, cb));
  }

  async safeMode(action: 'get' | 'enter' | 'leave'): Promise<boolean> {
    const answer =
      action === 'get'
        ? await this.#unary<{ on: boolean }>((m, o, cb) => this.#client.GetSafeMode({}, m, o, cb))
        : await this.#unary<{ on: boolean }>((m, o, cb) => this.#client.SetSafeMode({ action: action === 'enter' ? 'SAFE_MODE_ACTION_ENTER' : 'SAFE_MODE_ACTION_LEAVE' }, m, o, cb));
    return answer.on;
  }

  async *fsck(path: string): AsyncGenerator<FsckEvent__Output> {
    const call = this.#client.Fsck({ path }, this.#metadata());
    try {
      for await (const event of call) yield event as FsckEvent__Output;
    } catch (err) {
      throw new AdminCallError(err as ServiceError);
    }
  }

  #metadata(): Metadata {
    const m = new Metadata();
    m.set(USER_METADATA, this.#o.user);
    return m;
  }

  #unary<T>(call: (m: Metadata, o: { deadline: number }, cb: (err: ServiceError | null, res?: T) => void) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      call(this.#metadata(), { deadline: Date.now() + (this.#o.deadlineMs ?? 30_000) }, (err, res) => (err ? reject(new AdminCallError(err)) : resolve(res as T)));
    });
  }
}
