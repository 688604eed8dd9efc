/** The peer broke DataTransferProtocol framing; only its connection is closed. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** The stream ended before a complete frame arrived. */
export class StreamEndedError extends Error {
  constructor(message = 'connection closed by peer') {
    super(message);
    this.name = 'StreamEndedError';
  }
}
