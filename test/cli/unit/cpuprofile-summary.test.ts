import { profileSummaryText, relativeUrl, sourceOf, summariseCpuProfile, type CpuProfile } from '../../../cli/bench/cpuprofile-summary';

const frame = (id: number, functionName: string, url: string, lineNumber = 0) => ({ id, callFrame: { functionName, url, lineNumber } });

/** root(1) → encode(2), query(3) in mysql2, (idle)(4), (garbage collector)(5), an anonymous native(6). */
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)', ''),
    frame(2, 'encode', 'file:///repo/dist/protocol/generated/hadoop.js', 9),
    frame(3, 'query', 'file:///repo/node_modules/mysql2/lib/commands/query.js', 55),
    frame(4, '(idle)', ''),
    frame(5, '(garbage collector)', ''),
    frame(6, 'writeBuffer', ''),
  ],
  startTime: 1_000,
  endTime: 2_000,
  // Sample times: 1100, 1200, 1300, 1400, 1500, 1600, 1700.
  samples: [2, 2, 3, 4, 5, 6, 2],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100],
};

describe('summariseCpuProfile', () => {
  it('sums self time per frame from the sample deltas and keeps idle time apart', () => {
    const s = summariseCpuProfile(profile, '/repo');
    expect(s.samples).toBe(7);
    expect(s.idleMicros).toBe(100);
    expect(s.busyMicros).toBe(600);
    expect(s.windowMicros).toBe(1_000);
    expect(s.frames.map((f) => [f.frame, f.selfMicros])).toEqual([
      ['encode dist/protocol/generated/hadoop.js:10', 300],
      ['(garbage collector)', 100],
      ['query node_modules/mysql2/lib/commands/query.js:56', 100],
      ['writeBuffer', 100],
    ]);
    expect(s.frames[0]?.selfShare).toBeCloseTo(0.5);
    expect(s.sources.map((f) => [f.frame, f.selfMicros])).toEqual([
      ['dist/protocol/generated/hadoop.js', 300],
      ['(garbage collector)', 100],
      ['(native)', 100],
      ['npm:mysql2', 100],
    ]);
  });

  it('counts only the samples inside a window on the profile clock', () => {
    const s = summariseCpuProfile(profile, '/repo', { fromMicros: 1_250, toMicros: 1_650 });
    expect(s.samples).toBe(4); // 1300, 1400, 1500, 1600
    expect(s.windowMicros).toBe(400);
    expect(s.frames.map((f) => f.frame)).toEqual(['(garbage collector)', 'query node_modules/mysql2/lib/commands/query.js:56', 'writeBuffer']);
  });

  it('an empty profile summarises to nothing rather than dividing by zero', () => {
    const s = summariseCpuProfile({ nodes: [], startTime: 0, endTime: 0, samples: [], timeDeltas: [] }, '/repo');
    expect(s).toMatchObject({ busyMicros: 0, samples: 0, frames: [], sources: [] });
    expect(profileSummaryText(s, 5, 0)).toContain('0 samples');
  });
});

describe('inclusive time', () => {
  it("counts a sample for every distinct frame on its stack, recursion once, the root and idle never", () => {
    const tree: CpuProfile = {
      nodes: [
        { ...frame(1, '(root)', ''), children: [2, 5] },
        { ...frame(2, 'serve', 'file:///repo/dist/s.js'), children: [3] },
        { ...frame(3, 'serve', 'file:///repo/dist/s.js'), children: [4] },
        frame(4, 'writeBuffer', ''),
        frame(5, '(idle)', ''),
      ],
      startTime: 0,
      endTime: 400,
      samples: [4, 3, 5, 4],
      timeDeltas: [100, 100, 100, 100],
    };
    const s = summariseCpuProfile(tree, '/repo');
    expect(s.inclusive.map((f) => [f.frame, f.selfMicros])).toEqual([
      ['serve dist/s.js:1', 300],
      ['writeBuffer', 200],
    ]);
    expect(profileSummaryText(s, 5)).toMatch(/frames by inclusive time[\s\S]*0\.3\s+100\.0\s+serve dist\/s\.js:1/);
  });
});

describe('profileSummaryText', () => {
  it('prints the top frames with their share and the busy time per operation', () => {
    const text = profileSummaryText(summariseCpuProfile(profile, '/repo'), 2, 3);
    expect(text).toContain('200.0 µs busy per operation over 3 operations');
    expect(text).toMatch(/0\.3\s+50\.0\s+encode dist\/protocol\/generated\/hadoop\.js:10/);
    expect(text).not.toContain('writeBuffer'); // only the top 2 frames
  });
});

describe('frame sources', () => {
  it('makes checkout paths relative and names npm packages, scoped ones too', () => {
    expect(relativeUrl('file:///repo/dist/a.js', '/repo')).toBe('dist/a.js');
    expect(relativeUrl('node:internal/streams/writable', '/repo')).toBe('node:internal/streams/writable');
    expect(sourceOf('/x/node_modules/@grpc/grpc-js/build/a.js', 'f')).toBe('npm:@grpc/grpc-js');
    expect(sourceOf('node:internal/streams/writable', 'f')).toBe('node:internal/streams');
    expect(sourceOf('', '(program)')).toBe('(program)');
  });
});
