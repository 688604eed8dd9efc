import { namenodeGauges, phaseGaugeRow, type PhaseGauges } from '../../../cli/bench/phase-gauges';

const METRICS = `# HELP nnfleet_nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.
# TYPE nnfleet_nodejs_heap_size_used_bytes gauge
nnfleet_nodejs_heap_size_used_bytes 52428800
nnfleet_nodejs_gc_duration_seconds_sum{kind="minor"} 0.5
nnfleet_nodejs_gc_duration_seconds_sum{kind="major"} 0.25
nnfleet_nodejs_gc_duration_seconds_count{kind="minor"} 40
nnfleet_nodejs_gc_duration_seconds_count{kind="major"} 2
nnfleet_hint_cache_entries 1234
nnfleet_hint_cache_entries_extra 9
nnfleet_inode_cache_entries 77
`;

describe('phase gauges', () => {
  it("reads heap, GC by kind and the caches' sizes from a namenode's Prometheus text", () => {
    expect(namenodeGauges(METRICS)).toEqual({
      heapUsedBytes: 52428800,
      gcSeconds: { minor: 0.5, major: 0.25 },
      gcCount: { minor: 40, major: 2 },
      hintCacheEntries: 1234,
      inodeCacheEntries: 77,
    });
  });

  it('turns two readings into per-operation CPU, GC and statements', () => {
    const before: PhaseGauges = { cpuMicros: 0, heapUsedBytes: 0, gcSeconds: { minor: 0.1 }, gcCount: { minor: 1 }, hintCacheEntries: 0, inodeCacheEntries: 0, questions: 100, historyLength: 5 };
    const after: PhaseGauges = { ...namenodeGauges(METRICS), cpuMicros: 200_000, questions: 300, historyLength: 900 };
    expect(phaseGaugeRow('1 fileStatus', 1000, 500, before, after)).toEqual(['1 fileStatus', '1000', '500', '200.0', '650.0', '39/2/0', '0.20', '50.0', '1234', '77', '5→900']);
  });
});
