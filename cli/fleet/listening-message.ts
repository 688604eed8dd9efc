/**
 * What a namenode child tells `nnfleet up` over the IPC channel once both
 * servers are bound: the real ports, which matter when 0 asked for any.
 */
export interface ListeningMessage {
  readonly type: 'listening';
  readonly rpcPort: number;
  readonly httpPort: number;
  /** Absent when the namenode serves no gRPC. */
  readonly grpcPort?: number;
}

export function isListeningMessage(msg: unknown): msg is ListeningMessage {
  const m = msg as Partial<ListeningMessage> | null;
  return typeof m === 'object' && m !== null && m.type === 'listening' && typeof m.rpcPort === 'number' && typeof m.httpPort === 'number';
}
