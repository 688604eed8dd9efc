/** The only IPC version spoken; Hadoop 2.x and 3.x both use 9. */
export const IPC_VERSION = 9;

export const PREAMBLE_MAGIC = Buffer.from('hrpc', 'ascii');
export const PREAMBLE_LENGTH = 7;

export const AUTH_PROTOCOL_SIMPLE = 0;
export const AUTH_PROTOCOL_SASL = 0xdf;

/** Call ids below zero are reserved by Hadoop for connection-level frames. */
export const CALL_ID_CONNECTION_CONTEXT = -3;
export const CALL_ID_PING = -4;
export const CALL_ID_SASL = -33;
/** Used in answers to frames whose own call id could not be read. */
export const CALL_ID_UNKNOWN = -1;

/**
 * Largest request frame a server accepts: ipc.maximum.data.length. Hadoop
 * 2.x-3.2 default to 64 MiB (3.3 raised it to 128 MiB for huge datanode
 * block reports); our requests stay far below either, so the smaller bound.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/**
 * Largest frame accepted before the connection context: the context is a
 * user name and a protocol name, so a peer that has not finished the
 * handshake never makes the server buffer more than this.
 */
export const DEFAULT_MAX_HANDSHAKE_BYTES = 64 * 1024;
/** Largest answer a client accepts: ipc.maximum.response.length (128 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024 * 1024;

export const CLIENT_PROTOCOL = 'org.apache.hadoop.hdfs.protocol.ClientProtocol';
export const DATANODE_PROTOCOL = 'org.apache.hadoop.hdfs.server.protocol.DatanodeProtocol';
export const NAMENODE_PROTOCOL = 'org.apache.hadoop.hdfs.server.protocol.NamenodeProtocol';
export const REFRESH_USER_MAPPINGS_PROTOCOL = 'org.apache.hadoop.security.RefreshUserMappingsProtocol';
