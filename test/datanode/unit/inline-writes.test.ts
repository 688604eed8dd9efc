import { InlineWrites, type InlineSuspension } from '../../../datanode/store/inline-writes';

/** A clock the test moves: each inline write "takes" what `cost` says. */
function fakeClock() {
  const clock = { t: 1_000, cost: 0, now: () => clock.t };
  return clock;
}

describe('InlineWrites', () => {
  /** A policy on a fake clock, and a write that takes `ms` inline; `ran` lists where each went. */
  function setup() {
    const clock = fakeClock();
    const suspensions: InlineSuspension[] = [];
    const io = new InlineWrites({ enabled: true, stallMs: 50, budgetMs: 500, backoffMs: 10_000, now: clock.now, onSuspend: (why) => suspensions.push(why) });
    const ran: string[] = [];
    const write = (ms = 0.03) =>
      io.run(
        () => {
          ran.push('inline');
          clock.t += ms;
        },
        async () => {
          ran.push('pooled');
        },
      );
    return { clock, io, ran, write, suspensions };
  }

  it('writes inline while writes are fast, and through the pool for the backoff after one stalled', async () => {
    const { clock, io, ran, write, suspensions } = setup();
    for (let i = 0; i < 100; i++) await write();
    expect(ran.every((r) => r === 'inline')).toBe(true);
    await write(50); // at the bound: not a stall
    await write(51); // a stall: the next ones go to the pool
    await write();
    clock.t += 9_999;
    await write();
    expect(ran.slice(100)).toEqual(['inline', 'inline', 'pooled', 'pooled']);
    clock.t += 1;
    await write();
    expect(ran.at(-1)).toBe('inline');
    expect(io.stats).toEqual({ inline: 103, pooled: 2, slow: 1 });
    expect(suspensions).toHaveLength(1);
    expect(suspensions[0]!.writeMs).toBe(51);
    expect(suspensions[0]!.backoffMs).toBe(10_000);
  });

  it('keeps writing inline through now-and-then slow writes, not when writes take half of a second', async () => {
    const { clock, io, ran, write, suspensions } = setup();
    // A 40 ms write (preempted, or one wait on write-back) every 50 writes, 1 ms apart: ~450 ms a second at most.
    for (let i = 0; i < 1_000; i++) {
      await write(i % 50 === 0 ? 40 : 0.05);
      clock.t += 1;
    }
    expect(io.stats).toEqual({ inline: 1_000, pooled: 0, slow: 0 });
    // Later, back-to-back writes of 6 ms each (a slow file system): the 84th passes 500 ms within one second.
    clock.t += 2_000;
    for (let i = 0; i < 100; i++) await write(6);
    expect(io.stats.slow).toBe(1);
    expect(suspensions[0]!.windowMs).toBeGreaterThan(500);
    expect(ran.indexOf('pooled')).toBe(1_000 + 84);
  });

  it('never writes inline when disabled', async () => {
    const clock = fakeClock();
    const io = new InlineWrites({ enabled: false, now: clock.now });
    let inline = 0;
    let pooled = 0;
    for (let i = 0; i < 3; i++) await io.run(() => void inline++, async () => void pooled++);
    expect({ inline, pooled }).toEqual({ inline: 0, pooled: 3 });
    expect(io.stats).toEqual({ inline: 0, pooled: 3, slow: 0 });
  });

  it('a failing inline write rejects the run and leaves inline writes on', async () => {
    const clock = fakeClock();
    const io = new InlineWrites({ enabled: true, now: clock.now });
    await expect(io.run(() => { throw new Error('ENOSPC'); }, async () => undefined)).rejects.toThrow('ENOSPC');
    let inline = 0;
    await io.run(() => void inline++, async () => undefined);
    expect(inline).toBe(1);
  });
});
