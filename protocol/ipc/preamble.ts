import { PreambleError } from './ipc-errors';
import {
  AUTH_PROTOCOL_SASL,
  AUTH_PROTOCOL_SIMPLE,
  IPC_VERSION,
  PREAMBLE_LENGTH,
  PREAMBLE_MAGIC,
} from './wire-constants';

/*
 * Connection preamble, sent once by the client before any frame:
 *
 *   +---+---+---+---+---------+---------------+---------------+
 *   | h | r | p | c | version | service class | auth protocol |
 *   +---+---+---+---+---------+---------------+---------------+
 *     4 bytes ASCII   1 byte: 9   1 byte: 0      1 byte: 0 = SIMPLE
 *                                                   0xdf = SASL
 */
export function encodePreamble(authProtocol: number = AUTH_PROTOCOL_SIMPLE): Buffer {
  const out = Buffer.alloc(PREAMBLE_LENGTH);
  PREAMBLE_MAGIC.copy(out, 0);
  out[4] = IPC_VERSION;
  out[5] = 0;
  out[6] = authProtocol;
  return out;
}

/**
 * Accepts exactly PREAMBLE_LENGTH bytes and answers the auth protocol the
 * client starts with; throws PreambleError naming what is wrong so the
 * server can answer as Hadoop does (an HTTP hint for a browser, a version
 * mismatch answer). A client that holds a token for the server (the Java
 * client does, for a datanode, from its block token) starts with SASL even
 * when security is off; the connection then tells it to use SIMPLE, as a
 * SIMPLE-only Hadoop server does.
 */
export function checkPreamble(bytes: Uint8Array): 'simple' | 'sasl' {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length !== PREAMBLE_LENGTH) {
    throw new PreambleError(`preamble must be ${PREAMBLE_LENGTH} bytes, got ${buf.length}`, 'bad-magic');
  }
  if (!buf.subarray(0, 4).equals(PREAMBLE_MAGIC)) {
    const isHttp = buf.subarray(0, 4).toString('latin1') === 'GET ';
    throw new PreambleError(
      isHttp ? 'HTTP request on the IPC port' : 'connection does not start with "hrpc"',
      isHttp ? 'http-request' : 'bad-magic',
    );
  }
  const version = buf[4] ?? 0;
  if (version !== IPC_VERSION) {
    throw new PreambleError(
      `Server IPC version ${IPC_VERSION} cannot communicate with client version ${version}`,
      'bad-version',
    );
  }
  const auth = buf[6] ?? 0;
  if (auth === AUTH_PROTOCOL_SASL) return 'sasl';
  if (auth !== AUTH_PROTOCOL_SIMPLE) {
    throw new PreambleError(`unknown auth protocol ${auth}`, 'bad-auth-protocol');
  }
  return 'simple';
}
