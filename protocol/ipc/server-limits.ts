import { DEFAULT_MAX_HANDSHAKE_BYTES, DEFAULT_MAX_REQUEST_BYTES } from './wire-constants';

/**
 * What an IpcServer lets one peer, and all peers together, hold of it.
 * Named after the Hadoop settings they mirror where Hadoop has one.
 */
export interface IpcServerLimits {
  /** ipc.maximum.data.length: largest request frame once the handshake is done. */
  maxFrameBytes: number;
  /** Largest frame before the connection context has arrived. */
  maxHandshakeFrameBytes: number;
  /** ipc.server.max.connections (0: no limit). */
  maxConnections: number;
  /**
   * Bytes of incomplete request frames held across all connections: without
   * it, each of 10,000 connections may hold one 64 MiB frame. Keep it above
   * maxFrameBytes so any legal frame can complete (frame-buffer-budget.ts).
   */
  maxBufferedBytes: number;
  /** Connections from one remote address (0: no limit). */
  maxConnectionsPerAddress: number;
  /** Preamble and connection context must arrive within this, else the connection is closed. */
  handshakeTimeoutMs: number;
  /**
   * A connection with no call in flight and no bytes moved for this long is
   * closed: Hadoop's server uses 2 × ipc.client.connection.maxidletime.
   */
  maxIdleTimeMs: number;
  /** ipc.client.idlethreshold: idle connections are closed only while the server holds at least this many. */
  idleScanThreshold: number;
  /** Calls admitted per connection before reading from it pauses. */
  maxInFlightPerConnection: number;
  /** dfs.namenode.handler.count: calls executing at once across the server. */
  handlerCount: number;
  /** Calls waiting for a handler across the server (Hadoop: handlers × ipc.server.handler.queue.size). */
  callQueueSize: number;
  /** Expensive calls executing at once (they also take a handler). */
  expensiveHandlerCount: number;
  /**
   * ipc.callqueue.overflow.trigger.failover: a full queue answers
   * StandbyException (clients fail over to another namenode of the fleet)
   * instead of RetriableException (clients back off and retry here).
   */
  overflowTriggersFailover: boolean;
}

export const DEFAULT_IPC_SERVER_LIMITS: Readonly<IpcServerLimits> = {
  maxFrameBytes: DEFAULT_MAX_REQUEST_BYTES,
  maxHandshakeFrameBytes: DEFAULT_MAX_HANDSHAKE_BYTES,
  maxConnections: 10_000,
  maxBufferedBytes: 512 * 1024 * 1024,
  maxConnectionsPerAddress: 2_048,
  handshakeTimeoutMs: 10_000,
  maxIdleTimeMs: 20_000,
  idleScanThreshold: 4_000,
  maxInFlightPerConnection: 256,
  handlerCount: 64,
  callQueueSize: 64 * 100,
  expensiveHandlerCount: 4,
  overflowTriggersFailover: false,
};

/** Hadoop's CallQueueOverflowException message. */
export const SERVER_TOO_BUSY = 'Server too busy';

/** How often timeouts are enforced: a fraction of the shortest, within [50 ms, 5 s]. */
export function sweepIntervalMs(limits: IpcServerLimits): number {
  return Math.min(5000, Math.max(50, Math.floor(Math.min(limits.handshakeTimeoutMs, limits.maxIdleTimeMs) / 4)));
}
