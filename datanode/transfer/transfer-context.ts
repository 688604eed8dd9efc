import type { Logger } from 'pino';
import type { DatanodeBlockKeys } from '../block-keys';
import type { ReplicaEvents } from '../replica-events';
import type { BlockStore } from '../store/block-store';
import type { AckedLengths } from './acked-lengths';
import type { MirrorPool } from './mirror-pool';

/** What every DataTransferProtocol handler may use. */
export interface TransferContext {
  readonly store: BlockStore;
  readonly events: ReplicaEvents;
  readonly logger: Logger;
  readonly connectTimeoutMs: number;
  /** Idle limit on a socket with a peer (Hadoop: dfs.client.socket-timeout, 60 s). */
  readonly socketTimeoutMs: number;
  /** The address this datanode serves DataTransferProtocol on, so it never dials itself. */
  selfAddress(): { host: string; port: number };
  /** Verifies block access tokens (and signs this datanode's own). */
  readonly blockKeys: DatanodeBlockKeys;
  /** Bytes of client writes acknowledged by the pipeline, for getReplicaVisibleLength; absent: not tracked. */
  readonly acked?: AckedLengths;
  /** Idle connections to downstream datanodes, reused by the next pipeline; absent: one connection per block. */
  readonly mirrors?: MirrorPool;
}
