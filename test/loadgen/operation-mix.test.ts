import { OperationMix } from '../../loadgen/operation-mix';
import { SeededRandom } from '../../loadgen/seeded-random';
import { SPOTIFY_MIX } from '../../loadgen/spotify-mix';

describe('OperationMix', () => {
  it('draws the Spotify mix within tolerance of its percentages over many draws', () => {
    const mix = new OperationMix(SPOTIFY_MIX);
    const rng = new SeededRandom(42);
    const n = 1_000_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const op = mix.draw(rng);
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
    const total = SPOTIFY_MIX.reduce((s, e) => s + e.weight, 0);
    for (const { op, weight } of SPOTIFY_MIX) {
      const p = weight / total;
      const observed = (counts.get(op) ?? 0) / n;
      // Five standard deviations of a binomial proportion: a false alarm is practically impossible.
      const tolerance = 5 * Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(observed - p)).toBeLessThanOrEqual(tolerance);
    }
    expect([...counts.keys()].sort()).toEqual(SPOTIFY_MIX.map((e) => e.op).sort());
  });

  it('normalises weights and never draws a zero-weight operation', () => {
    const mix = new OperationMix([
      { op: 'read', weight: 0.5 },
      { op: 'write', weight: 0 },
      { op: 'list', weight: 0.25 },
    ]);
    expect(Object.fromEntries(mix.probabilities())).toEqual({ read: 2 / 3, list: 1 / 3 });
    const rng = new SeededRandom(7);
    let reads = 0;
    for (let i = 0; i < 100_000; i++) {
      const op = mix.draw(rng);
      expect(op).not.toBe('write');
      if (op === 'read') reads++;
    }
    expect(Math.abs(reads / 100_000 - 2 / 3)).toBeLessThan(0.01);
  });

  it('is reproducible for a seed', () => {
    const draws = (seed: number): string[] => {
      const mix = new OperationMix(SPOTIFY_MIX);
      const rng = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => mix.draw(rng));
    };
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
  });

  it('rejects a mix with nothing to draw', () => {
    expect(() => new OperationMix([{ op: 'a', weight: 0 }])).toThrow(RangeError);
    expect(() => new OperationMix([{ op: 'a', weight: -1 }, { op: 'b', weight: 1 }])).toThrow(RangeError);
  });
});
