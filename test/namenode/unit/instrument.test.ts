import { instrument } from '../../../namenode/ipc/instrument';
import { CallsInProgress } from '../../../namenode/ipc/calls-in-progress';
import type { RpcCallContext } from '../../../protocol/ipc/rpc-handler';

const ctx = {} as RpcCallContext;

describe('instrument', () => {
  it('records each call’s outcome once and counts it in progress only while it runs', async () => {
    const seen: [string, string][] = [];
    const calls = new CallsInProgress();
    let release!: () => void;
    const handlers = instrument(
      {
        slow: () => new Promise<Uint8Array>((resolve) => (release = () => resolve(Uint8Array.of(7)))),
        rejects: () => Promise.reject(new Error('refused')),
        throws: () => {
          throw new Error('thrown before any promise');
        },
      },
      { observeCall: (method, outcome) => void seen.push([method, outcome]) },
      calls,
    );
    const slow = handlers.slow!(ctx, new Uint8Array());
    expect(calls.count).toBe(1);
    await expect(handlers.rejects!(ctx, new Uint8Array())).rejects.toThrow('refused');
    // A handler that throws synchronously still answers with a rejected promise, never a throw from the wrapper.
    const thrown = handlers.throws!(ctx, new Uint8Array());
    await expect(thrown).rejects.toThrow('thrown before any promise');
    expect(calls.count).toBe(1);
    release();
    expect(await slow).toEqual(Uint8Array.of(7));
    expect(calls.count).toBe(0);
    expect(seen).toEqual([
      ['rejects', 'error'],
      ['throws', 'error'],
      ['slow', 'ok'],
    ]);
  });
});
