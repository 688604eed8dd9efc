/** The peer broke DataTransferProtocol framing; only its connection is closed. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * The stream ended before a complete frame arrived. Made on every
 * connection's end, in a socket event handler: a stack would only name that
 * handler, and capturing it was ~1 % of a datanode's CPU per small file.
 */
export class StreamEndedError extends Error {
  constructor(message = 'connection closed by peer') {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'StreamEndedError';
  }
}
