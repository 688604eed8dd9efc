import { nnThroughputArgs, parseNnThroughput, plainException } from '../../../cli/bench/nn-throughput';
import { cpuSplitText, peerCpuTableText, peerNotes, peerRow, peerTableText } from '../../../cli/bench/peer-table';

describe('the side-by-side table', () => {
  it('divides nnfleet by HDFS per operation', () => {
    const r = peerRow({ op: 'fileStatus', nnfleet: { opsPerSec: 750, p50Ms: 7.4 }, hdfs: { opsPerSec: 3000, p50Ms: 1.2 } });
    expect(r).toEqual({ op: 'fileStatus', nnfleetOpsPerSec: 750, hdfsOpsPerSec: 3000, ratio: 0.25, nnfleetP50Ms: 7.4, hdfsP50Ms: 1.2, nnfleetMachine: null, hdfsMachine: null, nnfleetCpu: null, hdfsCpu: null, notes: [] });
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

describe('where the CPU goes, beside the side-by-side table', () => {
  const nnfleet = { processes: [{ name: 'namenode', micros: 130 }, { name: 'MariaDB', micros: 250 }, { name: 'load generator', micros: 40 }], others: 5 };
  const hdfs = { processes: [{ name: 'HDFS JVM', micros: 95 }, { name: 'load generator', micros: 38 }], others: 2 };

  it('names each process, the others and their sum', () => {
    expect(cpuSplitText(nnfleet)).toBe('namenode 130 + MariaDB 250 + load generator 40 + others 5 = 425');
    expect(cpuSplitText({ processes: [{ name: 'HDFS JVM', micros: 10 }], others: null })).toBe('HDFS JVM 10 = 10');
    expect(cpuSplitText(null)).toBe('-');
  });

  it("divides what serving cost on each side, the load generator and the others left out", () => {
    const rows = [
      peerRow({ op: 'create', nnfleet: { opsPerSec: 4000, cpu: nnfleet }, hdfs: { opsPerSec: 20000, cpu: hdfs } }),
      peerRow({ op: 'open', nnfleet: { opsPerSec: 4000, cpu: nnfleet }, hdfs: { missing: 'not measured' } }),
      peerRow({ op: 'NNThroughputBenchmark open', nnfleet: { opsPerSec: 9000 }, hdfs: { opsPerSec: 30000 } }),
    ];
    const lines = (peerCpuTableText(rows) ?? '').split('\n');
    expect(lines[0]).toMatch(/^Where the CPU goes/);
    // 380 = namenode + MariaDB; 95 = the JVM; 380 / 95 = 4.
    expect(lines[3]).toMatch(/^create\s+namenode 130 \+ MariaDB 250 .* = 425\s+HDFS JVM 95 \+ load generator 38 \+ others 2 = 135\s+380 \/ 95\s+4\.00$/);
    expect(lines[4]).toMatch(/^open .*= 425\s+-\s+380 \/ -\s+-$/);
    // A row with no split on either side (NNThroughputBenchmark's) is left out.
    expect(lines.some((l) => l.startsWith('NNThroughputBenchmark'))).toBe(false);
    expect(peerCpuTableText([rows[2] as ReturnType<typeof peerRow>])).toBeUndefined();
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
