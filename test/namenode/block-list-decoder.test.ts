import Long from 'long';
import { decodeBlockList } from '../../namenode/ipc/block-list-decoder';

const u64 = (n: number) => Long.fromNumber(n).toUnsigned();

test('legacy longs with the -1 delimiter sent as uint64', () => {
  const longs = [2, 1, 1073741825, 100, 1001, 1073741826, 0, 1002, -1, -1, -1, 1073741827, 55, 1003, 1].map(u64);
  expect(decodeBlockList(longs, [], 0)).toEqual([
    { blockId: 1073741825, numBytes: 100, genStamp: 1001, finalized: true },
    { blockId: 1073741826, numBytes: 0, genStamp: 1002, finalized: true },
    { blockId: 1073741827, numBytes: 55, genStamp: 1003, finalized: false },
  ]);
});

test('buffer encoding: zig-zag block id, plain varints after', () => {
  const varint = (v: bigint) => {
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return out;
  };
  const zigzag = (v: bigint) => (v << 1n) ^ (v >> 63n);
  const block = (id: bigint, len: bigint, gs: bigint, state: bigint) => [...varint(zigzag(id)), ...varint(len), ...varint(gs), ...varint(state)];
  const buf = Uint8Array.from([...block(1073741825n, 134217728n, 1001n, 0n), ...block(5n, 3n, 1002n, 1n)]);
  expect(decodeBlockList([], [buf], 2)).toEqual([
    { blockId: 1073741825, numBytes: 134217728, genStamp: 1001, finalized: true },
    { blockId: 5, numBytes: 3, genStamp: 1002, finalized: false },
  ]);
});

describe('counts off the wire are checked before any loop', () => {
  test('[1e12, 0] is refused at once', () => {
    expect(() => decodeBlockList([u64(1e12), u64(0)], [], 0)).toThrow(/more than 1000000/);
  });

  test('a count the list is too short for is refused', () => {
    expect(() => decodeBlockList([2, 0, 1, 2, 3].map(u64), [], 0)).toThrow(/need 8 longs, the list has 5/);
    expect(() => decodeBlockList([0, 5, -1, -1, -1].map(u64), [], 0)).toThrow(/need 25 longs/);
  });

  test('negative counts are refused', () => {
    expect(() => decodeBlockList([u64(-1), u64(0)], [], 0)).toThrow(/counts -1 and 0/);
  });

  test('numberOfBlocks larger than the buffers can hold is refused', () => {
    expect(() => decodeBlockList([], [Uint8Array.from([1, 2, 3, 4])], 2)).toThrow(/2 blocks cannot fit in 4 bytes/);
    expect(() => decodeBlockList([], [Uint8Array.from([1])], 1e12)).toThrow(/more than 1000000/);
  });

  test('an empty report is fine', () => {
    expect(decodeBlockList([], [], 0)).toEqual([]);
    expect(decodeBlockList([0, 0].map(u64), [], 0)).toEqual([]);
  });
});
