import { cached } from '../../../namenode/http/ui/cached';

describe('cached: one load per interval, shared by every caller, failures not kept', () => {
  it('answers the same load within the interval and loads again after it', async () => {
    let now = 0;
    let loads = 0;
    const get = cached(() => Promise.resolve(++loads), 1000, () => now);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    now = 999;
    expect(await get()).toBe(1);
    now = 1000;
    expect(await get()).toBe(2);
  });

  it('does not keep a failed load: the next caller tries again', async () => {
    let fail = true;
    const get = cached(() => (fail ? Promise.reject(new Error('database away')) : Promise.resolve('ok')), 60_000, () => 0);
    await expect(get()).rejects.toThrow('database away');
    fail = false;
    expect(await get()).toBe('ok');
  });
});
