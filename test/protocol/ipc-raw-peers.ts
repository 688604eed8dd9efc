import { connect, type Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { encodeConnectionContextFrame, encodeRequestFrame } from '../../protocol/ipc/frame-codec';
import { encodePreamble } from '../../protocol/ipc/preamble';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';

const clientId = Buffer.from('0123456789abcdef');

/** Preamble and connection context: what a client sends before its first call. */
export function handshakeBytes(user = 'mallory'): Buffer {
  return Buffer.concat([encodePreamble(), encodeConnectionContextFrame({ clientId, user, protocol: CLIENT_PROTOCOL })]);
}

export function getFileInfoFrame(callId: number, src = '/'): Buffer {
  const body = hadoop.hdfs.GetFileInfoRequestProto.encode({ src }).finish();
  return encodeRequestFrame({ callId, clientId, method: 'getFileInfo', protocol: CLIENT_PROTOCOL }, body);
}

/** A raw TCP connection, resolved once connected; `localAddress` picks another loopback source (127.0.0.2...). */
export function openRaw(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress === undefined ? {} : { localAddress }) });
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves when the peer has closed the socket (or it errored). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    // An unread socket never sees the FIN: reading is what notices it.
    socket.resume();
  });
}

export { until } from '../harness/eventually';
