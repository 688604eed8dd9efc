import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/**
 * One gRPC service a namenode serves on its gRPC port (admin, namespace…):
 * the grpc-js definition (generated from `protocol/nnfleet/*.proto`) and
 * its handlers. The server collects these; each service file builds its
 * own, so adding a service touches no other.
 */
export interface GrpcServiceRegistration {
  /** The fully qualified service name, e.g. `nnfleet.admin.v1.Admin` (health and reflection list it). */
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}
