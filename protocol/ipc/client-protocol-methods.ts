import { hadoop } from '../generated/hadoop';

/**
 * Every method of ClientProtocol, read from the generated class of the
 * ClientNamenodeProtocol service block (proto/ClientNamenodeProtocol.proto,
 * Hadoop 3.4's list): a method added to the .proto is known here with no
 * code. protobufjs puts one function per rpc on the service's prototype.
 */
export const CLIENT_PROTOCOL_METHODS: readonly string[] = serviceMethods(hadoop.hdfs.ClientNamenodeProtocol);

/** Every method of NamenodeProtocol (proto/NamenodeProtocol.proto, Hadoop 3.4's list), read the same way. */
export const NAMENODE_PROTOCOL_METHODS: readonly string[] = serviceMethods(hadoop.hdfs.namenode.NamenodeProtocolService);

/** Every method of RefreshUserMappingsProtocol (proto/RefreshUserMappingsProtocol.proto). */
export const REFRESH_USER_MAPPINGS_METHODS: readonly string[] = serviceMethods(hadoop.common.RefreshUserMappingsProtocolService);

/** The rpc names of a generated protobufjs service class. */
function serviceMethods(service: { readonly prototype: object }): readonly string[] {
  return Object.getOwnPropertyNames(service.prototype).filter((name) => name !== 'constructor');
}
