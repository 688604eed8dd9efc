import { Server, ServerCredentials, type ServerOptions } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, type ServingStatusMap } from 'grpc-health-check';
import type { Logger } from 'pino';
import { nnfleetPackageDefinition } from '../../protocol/grpc/nnfleet-protos';
import type { GrpcServiceRegistration } from './grpc-service';

export interface GrpcTls {
  readonly certPem: Buffer;
  readonly keyPem: Buffer;
}

export interface GrpcServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly services: readonly GrpcServiceRegistration[];
  /** Plaintext when absent. */
  readonly tls?: GrpcTls | undefined;
  /** Whether the namenode can serve (its database answers): grpc.health.v1 says SERVING or NOT_SERVING. */
  readonly healthy: () => boolean;
  readonly logger: Logger;
  readonly limits?: Partial<GrpcLimits>;
}

/** What one client may take of the server: a bigger message, or more streams, are refused on that call or connection only. */
export interface GrpcLimits {
  readonly maxReceiveMessageBytes: number;
  readonly maxSendMessageBytes: number;
  readonly maxConcurrentStreams: number;
  /** HTTP/2 memory per connection (grpc-node.max_session_memory, MB): past it new streams are refused. */
  readonly maxSessionMemoryMb: number;
  readonly maxConnectionIdleMs: number;
  readonly keepaliveTimeMs: number;
}

export const DEFAULT_GRPC_LIMITS: GrpcLimits = {
  maxReceiveMessageBytes: 4 * 1024 * 1024,
  maxSendMessageBytes: 16 * 1024 * 1024,
  maxConcurrentStreams: 100,
  maxSessionMemoryMb: 16,
  maxConnectionIdleMs: 10 * 60_000,
  keepaliveTimeMs: 2 * 60_000,
};

export interface RunningGrpcServer {
  readonly port: number;
  close(): Promise<void>;
}

const HEALTH_POLL_MS = 1000;
const SHUTDOWN_GRACE_MS = 2000;

/**
 * A namenode's gRPC port: the registered services (admin, namespace…),
 * grpc.health.v1 (the whole server and each service: SERVING while the
 * database answers) and server reflection over every nnfleet service.
 */
export async function startGrpcServer(o: GrpcServerOptions): Promise<RunningGrpcServer> {
  const limits = { ...DEFAULT_GRPC_LIMITS, ...o.limits };
  const options: ServerOptions = {
    'grpc.max_receive_message_length': limits.maxReceiveMessageBytes,
    'grpc.max_send_message_length': limits.maxSendMessageBytes,
    'grpc.max_concurrent_streams': limits.maxConcurrentStreams,
    'grpc-node.max_session_memory': limits.maxSessionMemoryMb,
    'grpc.max_connection_idle_ms': limits.maxConnectionIdleMs,
    'grpc.keepalive_time_ms': limits.keepaliveTimeMs,
  };
  const server = new Server(options);
  for (const s of o.services) server.addService(s.definition, s.implementation);
  const names = ['', ...o.services.map((s) => s.name)];
  const statusOf = (serving: boolean): ServingStatusMap => Object.fromEntries(names.map((n) => [n, serving ? 'SERVING' : 'NOT_SERVING']));
  let serving = o.healthy();
  const health = new HealthImplementation(statusOf(serving));
  health.addToServer(server);
  new ReflectionService(nnfleetPackageDefinition()).addToServer(server);
  const poll = setInterval(() => {
    const now = o.healthy();
    if (now === serving) return;
    serving = now;
    for (const [name, status] of Object.entries(statusOf(now))) health.setStatus(name, status);
    o.logger.info({ serving: now }, now ? 'gRPC health: SERVING' : 'gRPC health: NOT_SERVING');
  }, HEALTH_POLL_MS);
  poll.unref();
  const credentials = o.tls ? ServerCredentials.createSsl(null, [{ cert_chain: o.tls.certPem, private_key: o.tls.keyPem }], false) : ServerCredentials.createInsecure();
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => server.bindAsync(`${o.host}:${o.port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))));
  } catch (err) {
    clearInterval(poll);
    server.forceShutdown();
    throw err;
  }
  o.logger.info({ port, tls: o.tls !== undefined, services: o.services.map((s) => s.name) }, 'gRPC server listening');
  return {
    port,
    close: async () => {
      clearInterval(poll);
      const graceful = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      const timer = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([graceful, timer]);
      server.forceShutdown();
    },
  };
}
