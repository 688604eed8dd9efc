import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { hadoop } from '../../protocol/generated/hadoop';
import { runCli, type CliRun } from '../cli/cli-process';
import { CRC32C_512, OpenWrite, readBlock } from './dtp-test-client';
import { payload } from '../harness/payload';

const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;

/**
 * Hadoop's hflush/hsync on the wire: each flush ends a packet mid-chunk, and
 * the next packet starts again at that chunk's boundary, resending its bytes.
 * Every packet is acknowledged before the next is sent.
 */
async function flushedWrites(w: OpenWrite, data: Buffer, writeSize: number, sync: boolean): Promise<void> {
  for (let end = writeSize; end <= data.length; end += writeSize) {
    const start = Math.floor((end - writeSize) / CRC32C_512.bytesPerChecksum) * CRC32C_512.bytesPerChecksum;
    const ack = await w.packet(start, data.subarray(start, end), { sync });
    expect(ack.reply).toEqual([Status.SUCCESS]);
  }
}

describe('flush patterns', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nnfleet-flush-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes 100 small writes, each flushed as its own packet ending mid-chunk, and reads them back', async () => {
    // No namenode hands out keys here: block tokens off (they are tested in test/security/block-tokens.test.ts).
    const dn: RunningDatanode = await startDatanode({ dataDir: join(root, 'hflush'), namenodes: [], host: '127.0.0.1', xferPort: 0, logger: pino({ level: 'silent' }), blockAccessTokens: false });
    try {
      const data = payload(100 * 37, 3);
      const w = await OpenWrite.open(dn.xferPort, { blockId: 1_073_900_001, generationStamp: 1001, stage: Stage.PIPELINE_SETUP_CREATE });
      expect(w.response.status).toBe(Status.SUCCESS);
      await flushedWrites(w, data, 37, false);
      // A reader sees the flushed bytes while the block is still being written.
      expect((await readBlock(dn.xferPort, 1_073_900_001, 0, data.length)).data.equals(data)).toBe(true);
      expect((await w.packet(data.length, Buffer.alloc(0), { last: true })).reply).toEqual([Status.SUCCESS]);
      w.close();
      expect((await readBlock(dn.xferPort, 1_073_900_001, 0, data.length)).data.equals(data)).toBe(true);
    } finally {
      await dn.stop();
    }
  });

  describe('hsync survives kill -9 of the datanode process', () => {
    let run: CliRun | undefined;
    const start = async (dir: string): Promise<number> => {
      run = runCli(['datanode', '--data-dir', dir, '--namenodes', '', '--host', '127.0.0.1', '--xfer-port', '0', '--log-level', 'warn', '--no-block-access-tokens']);
      const m = await run.waitFor(/^datanode listening xfer=\S+:(\d+) uuid=\S+$/m, 30_000);
      return Number(m[1]);
    };
    afterAll(async () => {
      if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      await run?.exited;
    });

    it('reads back every hsynced byte after a restart on the same directory', async () => {
      const dir = join(root, 'hsync');
      const blockId = 1_073_900_002;
      const data = payload(50 * 1000, 11);
      const port = await start(dir);
      const w = await OpenWrite.open(port, { blockId, generationStamp: 1001, stage: Stage.PIPELINE_SETUP_CREATE });
      expect(w.response.status).toBe(Status.SUCCESS);
      await flushedWrites(w, data, 1000, true);
      const killed = run!;
      killed.child.kill('SIGKILL');
      expect(await killed.exited).toBe('SIGKILL');
      w.close();

      const again = await start(dir);
      const read = await readBlock(again, blockId, 0, data.length);
      expect(read.response.status).toBe(Status.SUCCESS);
      expect(read.data.length).toBe(data.length);
      expect(read.data.equals(data)).toBe(true);
    });
  });
});
