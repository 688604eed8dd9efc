import { RemoteError } from '../../protocol/ipc/ipc-errors';

/** How a call ended: 'ok', the Java exception class of a RemoteError, or another error's message. */
export async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof RemoteError ? e.className : (e as Error).message;
  }
}
