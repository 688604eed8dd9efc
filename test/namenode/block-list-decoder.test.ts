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
