import fc from 'fast-check';
import { HintCache } from '../../../namenode/tx/hint-cache';

/** Budget for exactly `n` keys of `len` characters (64 bytes overhead + 2 a character). */
const budgetFor = (n: number, len: number): number => n * (64 + 2 * len);

describe('HintCache (CLOCK eviction)', () => {
  it('keeps an entry used since it was stored and evicts the oldest unused one', () => {
    const cache = new HintCache(budgetFor(3, 2));
    cache.set('/a', 1);
    cache.set('/b', 2);
    cache.set('/c', 3);
    expect(cache.get('/a')).toBe(1); // second chance for /a
    cache.set('/d', 4);
    expect(cache.get('/b')).toBeUndefined();
    expect([cache.get('/a'), cache.get('/c'), cache.get('/d')]).toEqual([1, 3, 4]);
    expect(cache.stats.entries).toBe(3);
  });

  it('a set of a known path changes its id without a second entry', () => {
    const cache = new HintCache();
    cache.set('/x', 1);
    cache.set('/x', 9);
    expect(cache.get('/x')).toBe(9);
    expect(cache.stats.entries).toBe(1);
    cache.invalidate(['/x']);
    expect(cache.get('/x')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('never holds more than its byte budget, and keeps the newest entry', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('get', 'set', 'invalidate'), fc.string({ minLength: 1, maxLength: 40 }), fc.nat(1000)), { maxLength: 300 }),
        (steps) => {
          const cache = new HintCache(1000);
          for (const [op, key, id] of steps) {
            const path = `/${key}`;
            if (op === 'get') cache.get(path);
            else if (op === 'invalidate') cache.invalidate([path]);
            else {
              cache.set(path, id);
              expect(cache.get(path)).toBe(id);
            }
            expect(cache.bytes).toBeLessThanOrEqual(1000);
          }
        },
      ),
    );
  });
});
