import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CallTimeoutError, IpcConnectionError } from '../../protocol/ipc/ipc-errors';

/** A peer that accepts and reads everything but never answers: an answer lost on a connection that stays open. */
let server: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((s) => {
    sockets.push(s);
    s.on('data', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a call with timeoutMs rejects with IpcConnectionError when no answer comes; one without it waits', async () => {
  const client = await IpcClient.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, user: 'dn', protocolName: 'x' });
  const err = await client.call('versionRequest', hadoop.hdfs.VersionRequestProto, {}, hadoop.hdfs.VersionResponseProto, { timeoutMs: 200 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CallTimeoutError);
  expect(err).toBeInstanceOf(IpcConnectionError);
  expect((err as Error).message).toBe('versionRequest: no answer within 200 ms');
  let settled = false;
  const waiting = client.call('versionRequest', hadoop.hdfs.VersionRequestProto, {}, hadoop.hdfs.VersionResponseProto).finally(() => (settled = true));
  waiting.catch(() => undefined);
  // A call sent after it with a 400 ms timeout times out; the one without a timeout, older, is still waiting.
  const later = await client.call('versionRequest', hadoop.hdfs.VersionRequestProto, {}, hadoop.hdfs.VersionResponseProto, { timeoutMs: 400 }).catch((e: unknown) => e);
  expect(later).toBeInstanceOf(CallTimeoutError);
  expect(settled).toBe(false);
  expect(client.pendingCalls).toBe(1);
  await client.close();
});
