import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { descriptorSetBase64 } from '../generated/nnfleet-descriptors';

/**
 * How messages look in JavaScript, the same for the server, the clients
 * and the generated types (protocol/gen/build.mjs passes these to
 * proto-loader-gen-types): camelCase fields, 64-bit integers as numbers
 * (byte counts and ids stay below 2^53), enums as their names, defaults
 * filled in, a oneof's case named by its field.
 */
export const NNFLEET_PROTO_OPTIONS: Options = { longs: Number, enums: String, defaults: true, oneofs: true };

let loaded: PackageDefinition | undefined;

/** Every nnfleet gRPC service and message (protocol/nnfleet/*.proto) and grpc.health.v1, as @grpc/reflection wants them. */
export function nnfleetPackageDefinition(): PackageDefinition {
  loaded ??= loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSetBase64, 'base64'), NNFLEET_PROTO_OPTIONS);
  return loaded;
}

/** One service's grpc-js definition by its full name, e.g. `nnfleet.admin.v1.Admin`. */
export function nnfleetService(name: string): ServiceDefinition {
  const def = nnfleetPackageDefinition()[name];
  if (def === undefined || 'format' in def || 'type' in def) throw new Error(`${name} is not a service of protocol/nnfleet`);
  return def as ServiceDefinition;
}
