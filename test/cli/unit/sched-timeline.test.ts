import { parseTimehist, schedSummaryText, summariseSched } from '../../../cli/bench/sched-timeline';

// perf sched timehist -w: header, switch-outs (end s, [cpu], task[tid/pid], wait, sch delay, run ms), wake-up lines, idle.
const TIMEHIST = `
           time    cpu  task name                       wait time  sch delay   run time
                        [tid/pid]                          (msec)     (msec)     (msec)
--------------- ------  ------------------------------  ---------  ---------  ---------
     100.000000 [0000]  perf[9]                             0.000      0.000      0.000
     100.001000 [0000]  node[10]                                                      awakened: mariadbd[21/20]
     100.002000 [0000]  node[10]                            0.000      0.000      2.000
     100.003000 [0001]  <idle>                              0.000      0.000      3.000
     100.004000 [0001]  mariadbd[21/20]                     1.000      1.000      1.000
     100.005000 [0000]  node[11/10]                         0.000      0.000      0.500
     100.006000 [0000]  node[10]                            1.000      0.000      1.000
     100.010000 [0001]  <idle>                              0.000      0.000      6.000
`;

describe('perf sched timeline', () => {
  it('parses runs and runnable waits, skipping headers, wake-ups and idle', () => {
    const iv = parseTimehist(TIMEHIST);
    expect(iv).toHaveLength(5);
    expect(iv[0]).toMatchObject({ pid: 10, comm: 'node', main: true, kind: 'run' });
    expect(iv[0]?.start).toBeCloseTo(100_000, 6);
    expect(iv[0]?.end).toBeCloseTo(100_002, 6);
    // The database thread waited runnable 1 ms, then ran 1 ms: both intervals, under its process id.
    expect(iv.filter((i) => i.pid === 20).map((i) => [i.kind, i.start - 100_000, i.end - 100_000].map((x) => (typeof x === 'number' ? Math.round(x * 1000) / 1000 : x)))).toEqual([
      ['run', 3, 4],
      ['wait', 2, 3],
    ]);
    expect(iv.find((i) => i.pid === 10 && !i.main)?.kind).toBe('run');
  });

  it('splits the idle capacity by whether something waited, and credits who ran alone', () => {
    const s = summariseSched(parseTimehist(TIMEHIST), 2, new Map([[20, 'MariaDB']]), 0);
    // Window 100.000 .. 100.006 (6 ms): node runs 0-2, 4.5-5 (helper), 5-6; MariaDB waits 2-3 and runs 3-4.
    expect(s.windowMs).toBeCloseTo(6, 6);
    expect(s.busyShare[0]).toBeCloseTo(1.5 / 6, 6); // 2-3 (MariaDB runnable, no CPU busy) and 4-4.5
    expect(s.busyShare[1]).toBeCloseTo(4.5 / 6, 6);
    expect(s.busyShare[2]).toBeCloseTo(0, 6);
    // 2-3: both CPUs idle while MariaDB waited (2 CPU-ms); the rest idle with nothing waiting.
    expect(s.idleWithWaiter).toBeCloseTo(2 / 12, 6);
    expect(s.idleWithoutWaiter).toBeCloseTo((12 - 4.5 - 2) / 12, 6);
    const byLabel = new Map(s.processes.map((p) => [p.label, p]));
    expect(byLabel.get('node 10')?.cpu).toBeCloseTo(3.5 / 6, 6);
    expect(byLabel.get('node 10')?.alone).toBeCloseTo(3.5 / 6, 6);
    expect(byLabel.get('MariaDB')?.cpu).toBeCloseTo(1 / 6, 6);
    expect(s.processes[0]?.label).toBe('node 10');
    expect(schedSummaryText(s)).toContain('while a thread waited runnable');
  });

  it('summarises nothing as an empty window', () => {
    expect(summariseSched([], 2).windowMs).toBe(0);
  });
});
