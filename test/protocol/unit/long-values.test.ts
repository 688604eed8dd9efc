import Long from 'long';
import { int64ToNumber, int64ToSaturatedNumber } from '../../../protocol/long-values';

describe('int64ToSaturatedNumber: a position a client may name past anything that exists', () => {
  test('exact within the safe range, saturated beyond it where int64ToNumber refuses', () => {
    expect(int64ToSaturatedNumber(Long.fromNumber(-1))).toBe(-1);
    expect(int64ToSaturatedNumber(Long.fromNumber(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64ToSaturatedNumber(Long.MAX_VALUE)).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64ToSaturatedNumber(Long.fromNumber(2 ** 53))).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64ToSaturatedNumber(Long.MIN_VALUE)).toBe(Number.MIN_SAFE_INTEGER);
    expect(int64ToSaturatedNumber(7)).toBe(7);
    expect(() => int64ToNumber(Long.MAX_VALUE)).toThrow(RangeError);
  });
});
