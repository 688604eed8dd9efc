import { staleReads, type ReadEvent, type WriteEvent } from '../../harness/stale-read-checker';

const w = (register: string, inv: number, resp: number, effect: WriteEvent['effect']): WriteEvent => ({ register, inv, resp, effect, what: `w${inv}` });
const r = (register: string, inv: number, resp: number, value: string): ReadEvent => ({ register, inv, resp, value, what: `r${inv}` });
const exact = (value: string) => ({ kind: 'exact', value }) as const;

describe('stale-read checker', () => {
  test('a read begun after a write was acknowledged must not return the state before it', () => {
    const writes = [w('p', 0, 1, exact('a')), w('p', 2, 3, exact('b'))];
    expect(staleReads(writes, [r('p', 4, 5, 'a')]).map((v) => v.supersededBy?.what)).toEqual(['w2']);
    expect(staleReads(writes, [r('p', 4, 5, 'b')])).toEqual([]);
  });

  test('a read overlapping the write may return either state', () => {
    const writes = [w('p', 0, 1, exact('a')), w('p', 2, 6, exact('b'))];
    expect(staleReads(writes, [r('p', 3, 4, 'a'), r('p', 3, 4, 'b')])).toEqual([]);
  });

  test('a value nobody wrote yet is a violation; absent is the initial state', () => {
    expect(staleReads([w('p', 5, 6, exact('a'))], [r('p', 0, 1, 'a')])).toHaveLength(1);
    expect(staleReads([w('p', 5, 6, exact('a'))], [r('p', 0, 1, 'absent')])).toEqual([]);
    expect(staleReads([w('p', 0, 1, exact('a'))], [r('p', 2, 3, 'absent')])).toHaveLength(1);
  });

  test('writes of unknown outcome explain any value, present ones any but absent', () => {
    const writes = [w('p', 0, 1, exact('a')), w('p', 2, 3, { kind: 'absent' }), w('p', 4, 5, { kind: 'present' })];
    expect(staleReads(writes, [r('p', 6, 7, 'zzz')])).toEqual([]);
    expect(staleReads(writes, [r('p', 6, 7, 'absent')])).toHaveLength(1);
    expect(staleReads([...writes, w('p', 8, 9, { kind: 'any' })], [r('p', 10, 11, 'absent')])).toEqual([]);
  });

  test('registers are independent', () => {
    expect(staleReads([w('p', 0, 1, exact('a')), w('q', 2, 3, exact('b'))], [r('p', 4, 5, 'a')])).toEqual([]);
  });
});
