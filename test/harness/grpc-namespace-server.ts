import { Server, ServerCredentials } from '@grpc/grpc-js';
import pino from 'pino';
import { namespaceService } from '../../namenode/grpc/namespace-service';
import type { Namesystem } from '../../namenode/namesystem';
import { CallerResolver } from '../../namenode/security/caller-resolver';
import { GroupMapping } from '../../namenode/security/group-mapping';

export interface NamespaceGrpcServer {
  readonly target: string;
  close(): Promise<void>;
}

/**
 * A plain grpc-js server with the namespace service of one Namesystem, on
 * a free loopback port: what a namenode's gRPC port serves, until the
 * namenode's own gRPC server carries the registration.
 */
export async function startNamespaceGrpc(ns: Namesystem): Promise<NamespaceGrpcServer> {
  const server = new Server();
  const reg = namespaceService({ ns, callers: new CallerResolver(new GroupMapping(''), ns.config, ns.config.proxyUsers), logger: pino({ level: 'silent' }) });
  server.addService(reg.definition, reg.implementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    target: `127.0.0.1:${port}`,
    // Open Watch streams never end on their own: cut them.
    close: async () => server.forceShutdown(),
  };
}
