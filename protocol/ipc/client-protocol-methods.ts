import { hadoop } from '../generated/hadoop';

/**
 * Every method of ClientProtocol, read from the generated class of the
 * ClientNamenodeProtocol service block (proto/ClientNamenodeProtocol.proto,
 * Hadoop 3.4's list): a method added to the .proto is known here with no
 * code. protobufjs puts one function per rpc on the service's prototype.
 */
export const CLIENT_PROTOCOL_METHODS: readonly string[] = Object.getOwnPropertyNames(hadoop.hdfs.ClientNamenodeProtocol.prototype).filter(
  (name) => name !== 'constructor',
);
