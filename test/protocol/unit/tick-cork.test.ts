import type { Socket } from 'node:net';
import { TickCork } from '../../../protocol/ipc/tick-cork';

/** A socket that records cork, uncork and write in order. */
function recorder() {
  const log: string[] = [];
  const socket = {
    cork: () => log.push('cork'),
    uncork: () => log.push('uncork'),
    write: (s: string) => log.push(`write ${s}`),
  };
  const cork = new TickCork(socket as unknown as Socket);
  const write = (s: string): void => {
    cork.beforeWrite();
    socket.write(s);
  };
  return { log, write };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

test('a lone write in a tick goes at once, uncorked', async () => {
  const { log, write } = recorder();
  write('a');
  await nextTick();
  write('b');
  await nextTick();
  expect(log).toEqual(['write a', 'write b']);
});

test('writes of one tick past the first are corked until the tick ends, then leave together', async () => {
  const { log, write } = recorder();
  write('a');
  write('b');
  write('c');
  expect(log).toEqual(['write a', 'cork', 'write b', 'write c']);
  await nextTick();
  expect(log).toEqual(['write a', 'cork', 'write b', 'write c', 'uncork']);
  // The next tick starts afresh.
  write('d');
  await nextTick();
  expect(log.slice(5)).toEqual(['write d']);
});

test('writes from promise continuations of one tick (callers woken by one read) are corked together', async () => {
  const { log, write } = recorder();
  const woken = [1, 2, 3].map((n) => Promise.resolve(n).then((x) => write(String(x))));
  await Promise.all(woken);
  await nextTick();
  expect(log).toEqual(['write 1', 'cork', 'write 2', 'write 3', 'uncork']);
});
