import type { ServerWritableStream } from '@grpc/grpc-js';

/** Resolves when the client's window has room again, or the call ended; leaves no listener behind. */
function drainedOrCancelled(call: ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}

/** Writes one message of a server stream, waiting while the client's window is full (bounded memory); false once the call is over. */
export async function writeMessage<R>(call: ServerWritableStream<unknown, R>, message: R): Promise<boolean> {
  if (call.cancelled) return false;
  if (!call.write(message)) await drainedOrCancelled(call as ServerWritableStream<unknown, unknown>);
  return !call.cancelled;
}
