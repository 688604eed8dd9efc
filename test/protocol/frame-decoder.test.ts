import { encodeFrame, FrameDecoder } from '../../protocol/ipc/frame-decoder';
import { FrameTooLargeError } from '../../protocol/ipc/ipc-errors';

function frames(...payloads: string[]): Buffer {
  return Buffer.concat(payloads.map((p) => encodeFrame([Buffer.from(p)])));
}

describe('FrameDecoder', () => {
  const stream = frames('hello', '', 'a longer third frame', 'x');
  const expected = ['hello', '', 'a longer third frame', 'x'];

  it('decodes several frames from one chunk', () => {
    const got = new FrameDecoder().push(stream).map((f) => f.toString());
    expect(got).toEqual(expected);
  });

  it('decodes the stream split in two at every byte boundary', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const got = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(got.map((f) => f.toString())).toEqual(expected);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('decodes the stream fed one byte at a time', () => {
    const decoder = new FrameDecoder();
    const got: Buffer[] = [];
    for (const byte of stream) got.push(...decoder.push(Buffer.from([byte])));
    expect(got.map((f) => f.toString())).toEqual(expected);
  });

  it('holds an incomplete frame until its last byte arrives', () => {
    const decoder = new FrameDecoder();
    const one = frames('abcdef');
    expect(decoder.push(one.subarray(0, 7))).toEqual([]);
    expect(decoder.pendingBytes).toBe(7);
    expect(decoder.push(one.subarray(7)).map(String)).toEqual(['abcdef']);
  });

  it('refuses a frame above the maximum as soon as its length is read', () => {
    const decoder = new FrameDecoder(16);
    expect(() => decoder.push(Buffer.from([0, 0, 0, 17]))).toThrow(FrameTooLargeError);
    expect(new FrameDecoder(16).push(frames('0123456789abcdef')).length).toBe(1);
  });

  it('refuses a 2 GiB length with the default maximum (128 MiB)', () => {
    const claim = Buffer.from([0x80, 0, 0, 0, 1, 2, 3]);
    expect(() => new FrameDecoder().push(claim)).toThrow(/2147483648 bytes exceeds the maximum of 134217728/);
  });
});
