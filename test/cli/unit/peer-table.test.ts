import { nnThroughputArgs, parseNnThroughput, plainException } from '../../../cli/bench/nn-throughput';
import { peerNotes, peerRow, peerTableText } from '../../../cli/bench/peer-table';

describe('the side-by-side table', () => {
  it('divides nnfleet by HDFS per operation', () => {
    const r = peerRow({ op: 'fileStatus', nnfleet: { opsPerSec: 750, p50Ms: 7.4 }, hdfs: { opsPerSec: 3000, p50Ms: 1.2 } });
    expect(r).toEqual({ op: 'fileStatus', nnfleetOpsPerSec: 750, hdfsOpsPerSec: 3000, ratio: 0.25, nnfleetP50Ms: 7.4, hdfsP50Ms: 1.2, nnfleetMachine: null, hdfsMachine: null, notes: [] });
  });

  it("prints each side's idle and steal shares beside its figure, '-' where a side has none", () => {
    const rows = [
      peerRow({ op: 'spotify mix', nnfleet: { opsPerSec: 6000, machine: { busy: 0.73, steal: 0.02, idle: 0.27 } }, hdfs: { opsPerSec: 20000, machine: { busy: 0.96, steal: 0.394, idle: 0.04 } } }),
      peerRow({ op: 'NNThroughputBenchmark open', nnfleet: { opsPerSec: 9000 }, hdfs: { opsPerSec: 30000 } }),
    ];
    const lines = peerTableText(rows, []).split('\n');
    expect(lines[0]).toMatch(/idle % nnfleet \/ HDFS\s+steal % nnfleet \/ HDFS$/);
    expect(lines[2]).toMatch(/^spotify mix .* 27 \/ 4\s+2 \/ 39$/);
    expect(lines[3]).toMatch(/^NNThroughputBenchmark open .* - \/ -\s+- \/ -$/);
  });

  it('has no ratio when a side has no figure or HDFS measured zero, and says why', () => {
    expect(peerRow({ op: 'x', nnfleet: { missing: 'not supported: no NamenodeProtocol' }, hdfs: { opsPerSec: 10 } })).toMatchObject({
      ratio: null,
      nnfleetOpsPerSec: null,
      notes: ['nnfleet: not supported: no NamenodeProtocol'],
    });
    expect(peerRow({ op: 'x', nnfleet: { opsPerSec: 10 }, hdfs: { opsPerSec: 0 } }).ratio).toBeNull();
  });

  it('prints one note per reason, naming every operation it holds for', () => {
    const why = { missing: 'not supported: RpcNoSuchProtocolException' };
    const rows = ['open', 'create'].map((op) => peerRow({ op, nnfleet: why, hdfs: { opsPerSec: 5 } }));
    expect(peerNotes(rows)).toEqual(['open, create: nnfleet: not supported: RpcNoSuchProtocolException']);
    const text = peerTableText(rows, ['extra note']);
    expect(text.split('\n')[0]).toMatch(/^op\s+nnfleet ops\/s\s+HDFS ops\/s\s+nnfleet ÷ HDFS/);
    expect(text).toMatch(/open\s+-\s+5\s+-/);
    expect(text).toContain('* extra note');
  });
});

describe("NNThroughputBenchmark's output", () => {
  const stats = [
    'INFO namenode.NNThroughputBenchmark: --- fileStatus inputs ---',
    'INFO namenode.NNThroughputBenchmark: --- fileStatus stats  ---',
    'INFO namenode.NNThroughputBenchmark: # operations: 2000',
    'INFO namenode.NNThroughputBenchmark: Elapsed Time: 1312',
    'INFO namenode.NNThroughputBenchmark:  Ops per sec: 1524.3902439024391',
  ].join('\n');

  it('reads the stats block', () => {
    expect(parseNnThroughput(stats)).toEqual({ ok: true, operations: 2000, elapsedMs: 1312, opsPerSec: 1524.3902439024391 });
  });

  it('gives the remote exception as the reason when there are no stats', () => {
    const out =
      'ERROR namenode.NNThroughputBenchmark: org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.ipc.RpcNoSuchProtocolException): Unknown protocol: org.apache.hadoop.hdfs.server.protocol.NamenodeProtocol\n\tat org.apache.hadoop.ipc.Client.call(Client.java:1)';
    expect(parseNnThroughput(out)).toEqual({
      ok: false,
      reason: 'RpcNoSuchProtocolException: Unknown protocol: org.apache.hadoop.hdfs.server.protocol.NamenodeProtocol',
    });
  });

  it('does not trust stats from a run that timeout had to end', () => {
    expect(parseNnThroughput(stats, 60)).toEqual({ ok: false, reason: 'timed out after 60 s (no results printed)' });
  });

  it('strips the log4j prefix of both layouts', () => {
    expect(plainException('2026-12-01 21:43:02,112 ERROR [main] namenode.NNThroughputBenchmark (NNThroughputBenchmark.java:run(1)) - java.io.IOException: boom')).toBe(
      'java.io.IOException: boom',
    );
    expect(plainException('ERROR namenode.NNThroughputBenchmark: java.io.IOException: boom')).toBe('java.io.IOException: boom');
  });

  it('puts -fs first and asks create to close its files', () => {
    const o = { threads: 8, files: 100, perDir: 10, timeoutSeconds: 60 };
    expect(nnThroughputArgs('127.0.0.1:8020', 'create', o)).toEqual(['-fs', 'hdfs://127.0.0.1:8020', '-op', 'create', '-threads', '8', '-files', '100', '-filesPerDir', '10', '-close']);
    expect(nnThroughputArgs('h:1', 'mkdirs', o).slice(4)).toEqual(['-threads', '8', '-dirs', '100', '-dirsPerDir', '10']);
  });
});
