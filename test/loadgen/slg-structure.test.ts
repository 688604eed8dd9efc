import { SeededRandom } from '../../loadgen/seeded-random';
import { generateSlgStructure, type SlgStructureOptions } from '../../loadgen/slg-structure';

function check(opts: SlgStructureOptions, seed: number): void {
  const s = generateSlgStructure(opts, new SeededRandom(seed));
  const childCount = new Map<string, number>();
  for (const d of s.dirs) {
    expect(d.depth).toBeLessThanOrEqual(opts.maxDepth);
    expect(d.depth).toBe(d.path === '' ? 0 : d.path.split('/').length);
    if (d.path !== '') {
      const parent = d.path.includes('/') ? d.path.slice(0, d.path.lastIndexOf('/')) : '';
      childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
    }
  }
  expect(new Set(s.dirs.map((d) => d.path)).size).toBe(s.dirs.length);
  for (const d of s.dirs) {
    const children = childCount.get(d.path) ?? 0;
    expect(children).toBe(d.children);
    // A directory either is a leaf or has between minWidth and maxWidth subdirectories.
    if (children > 0) {
      expect(children).toBeGreaterThanOrEqual(opts.minWidth);
      expect(children).toBeLessThanOrEqual(opts.maxWidth);
    }
  }
  const root = s.dirs[0];
  expect(root?.path).toBe('');
  if (opts.maxDepth > 0 && opts.minWidth > 0) {
    expect(root?.children).toBeGreaterThanOrEqual(opts.minWidth);
  }
  expect([...s.leaves].sort()).toEqual(s.dirs.filter((d) => d.children === 0).map((d) => d.path).sort());
  expect(s.files).toHaveLength(opts.numOfFiles);
  const leaves = new Set(s.leaves);
  for (const f of s.files) {
    const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '';
    expect(leaves.has(dir)).toBe(true);
    expect(f.sizeInBlocks).toBeGreaterThanOrEqual(0);
  }
  expect(new Set(s.files.map((f) => f.path)).size).toBe(s.files.length);
}

describe('SLG structure generator', () => {
  it.each([
    [{ maxDepth: 5, minWidth: 1, maxWidth: 5, numOfFiles: 10, avgFileSize: 1 }],
    [{ maxDepth: 3, minWidth: 2, maxWidth: 2, numOfFiles: 100, avgFileSize: 3 }],
    [{ maxDepth: 8, minWidth: 1, maxWidth: 3, numOfFiles: 500, avgFileSize: 0.5 }],
    [{ maxDepth: 0, minWidth: 1, maxWidth: 5, numOfFiles: 4, avgFileSize: 1 }],
  ])('keeps depth, widths and file count within %j', (opts) => {
    for (let seed = 1; seed <= 20; seed++) check(opts, seed);
  });

  it('reaches the full depth and both width bounds over seeds', () => {
    const opts = { maxDepth: 4, minWidth: 1, maxWidth: 4, numOfFiles: 0, avgFileSize: 1 };
    const depths = new Set<number>();
    const widths = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      for (const d of generateSlgStructure(opts, new SeededRandom(seed)).dirs) {
        depths.add(d.depth);
        if (d.children > 0) widths.add(d.children);
      }
    }
    expect(Math.max(...depths)).toBe(4);
    expect([...widths].sort()).toEqual([1, 2, 3, 4]);
  });

  it('draws file sizes around avgFileSize', () => {
    const s = generateSlgStructure({ maxDepth: 2, minWidth: 1, maxWidth: 3, numOfFiles: 20_000, avgFileSize: 4 }, new SeededRandom(9));
    const mean = s.files.reduce((a, f) => a + f.sizeInBlocks, 0) / s.files.length;
    expect(Math.abs(mean - 4)).toBeLessThan(0.05);
  });

  it('rejects impossible options', () => {
    expect(() => generateSlgStructure({ maxDepth: 2, minWidth: 3, maxWidth: 2, numOfFiles: 1, avgFileSize: 1 }, new SeededRandom(1))).toThrow(RangeError);
  });
});
