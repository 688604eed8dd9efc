import { PhaseRecorder } from '../../loadgen/phase-recorder';
import { runWorkers, type Operation } from '../../loadgen/worker-loop';
import { RemoteError } from '../../protocol/ipc/ipc-errors';

const silent = { update: () => undefined, stop: () => undefined };

describe('runWorkers', () => {
  it('runs every queued operation once and counts failures by Java exception class', async () => {
    const recorder = new PhaseRecorder('t', 3);
    let next = 0;
    const ran: number[] = [];
    await runWorkers({
      threads: 3,
      recorder,
      progress: silent,
      next: (): Operation | undefined => {
        if (next >= 10) return undefined;
        const i = next++;
        return {
          op: 'x',
          run: async () => {
            ran.push(i);
            if (i % 5 === 0) throw new RemoteError('java.io.FileNotFoundException', 'gone', undefined, false);
          },
        };
      },
    });
    expect(ran.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const res = recorder.finish({});
    expect(res.ops[0]).toMatchObject({ op: 'x', count: 8, errors: 2, errorsByClass: { 'java.io.FileNotFoundException': 2 } });
  });

  it('gives up on an unanswered operation, so a hung namenode ends the phase', async () => {
    const recorder = new PhaseRecorder('t', 2);
    await runWorkers({
      threads: 2,
      recorder,
      progress: silent,
      opTimeoutMs: 50,
      next: () => ({ op: 'hang', run: () => new Promise<void>(() => undefined) }),
    });
    expect(recorder.finish({}).ops[0]).toMatchObject({ count: 0, errors: 2, errorsByClass: { OperationTimeout: 2 } });
  });

  it('stops starting operations at the deadline and waits for those in flight', async () => {
    // A fake clock that moves 10 ms at each operation started: 20 fit before a 200 ms deadline, however the workers interleave.
    let clock = 1000;
    const startedAt: number[] = [];
    let inFlight = 0;
    let finished = 0;
    const recorder = new PhaseRecorder('t', 3);
    await runWorkers({
      threads: 3,
      recorder,
      progress: silent,
      durationMs: 200,
      now: () => clock,
      next: () => {
        startedAt.push(clock - 1000);
        clock += 10;
        return {
          op: 'tick',
          run: async () => {
            inFlight++;
            await new Promise((r) => setImmediate(r));
            inFlight--;
            finished++;
          },
        };
      },
    });
    expect(startedAt).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect({ inFlight, finished }).toEqual({ inFlight: 0, finished: 20 });
    expect(recorder.finish({}).ops[0]).toMatchObject({ op: 'tick', count: 20, errors: 0 });
  });

  it('ends a timed run on the real clock, having done work', async () => {
    const recorder = new PhaseRecorder('t', 2);
    const started = performance.now();
    await runWorkers({
      threads: 2,
      recorder,
      progress: silent,
      durationMs: 200,
      next: () => ({ op: 'tick', run: () => new Promise<void>((r) => setTimeout(r, 5)) }),
    });
    const elapsed = performance.now() - started;
    const res = recorder.finish({}).ops[0];
    expect(res).toMatchObject({ op: 'tick', errors: 0 });
    expect(res?.count).toBeGreaterThan(0);
    process.stdout.write(`worker-loop: a 200 ms run of 5 ms operations on 2 workers took ${elapsed.toFixed(0)} ms, ${res?.count} operations\n`);
  });
});
