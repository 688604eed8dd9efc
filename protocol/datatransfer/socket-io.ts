import { connect, type Socket } from 'node:net';
import type { hadoop } from '../generated/hadoop';
import { encodePacketHead, type Packet } from './packet-codec';

export class ConnectError extends Error {
  constructor(readonly address: string, reason: string) {
    super(`cannot connect to datanode ${address}: ${reason}`);
    this.name = 'ConnectError';
  }
}

/** Writes and waits while the socket's buffer is full, so a slow peer slows the sender. */
export async function writeAll(socket: Socket, bytes: Uint8Array): Promise<void> {
  if (socket.destroyed) throw new Error('socket closed');
  if (socket.write(bytes)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      socket.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      socket.off('drain', onDrain);
      reject(new Error('socket closed'));
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/**
 * Several buffers as one write: corked, so the socket hands them to the
 * kernel in one writev instead of a syscall each (and no copy joins them).
 */
export function writeAllv(socket: Socket, parts: readonly Uint8Array[]): Promise<void> {
  if (socket.destroyed) return Promise.reject(new Error('socket closed'));
  socket.cork();
  let last = parts.length - 1;
  while (last > 0 && parts[last]!.length === 0) last--;
  for (let i = 0; i < last; i++) if (parts[i]!.length > 0) socket.write(parts[i]!);
  const p = writeAll(socket, parts[last] ?? Buffer.alloc(0));
  socket.uncork();
  return p;
}

/** One packet: its head, checksums and data written as they are, with no joined copy. */
export function writePacket(socket: Socket, packet: Packet): Promise<void> {
  return writeAllv(socket, [encodePacketHead(packet), packet.checksums, packet.data]);
}

export function connectTo(host: string, port: number, timeoutMs: number): Promise<Socket> {
  const address = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError(address, 'timed out'));
    }, timeoutMs);
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(new ConnectError(address, err.message));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      // Later errors also close the socket, which its readers observe; an
      // unobserved 'error' event would crash the process.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

/** `ip:xferPort` of a datanode, as clients dial it and firstBadLink names it. */
export function xferAddress(id: hadoop.hdfs.IDatanodeIDProto): { host: string; port: number; address: string } {
  const host = id.ipAddr || id.hostName || '127.0.0.1';
  const port = id.xferPort ?? 0;
  return { host, port, address: `${host}:${port}` };
}
