import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DatanodeBlockKeys } from '../../datanode/block-keys';
import { executeCommand } from '../../datanode/namenode-link/command-executor';
import type { ReplicaInfo } from '../../datanode/store/block-store';
import { LocalBlockStore } from '../../datanode/store/local-block-store';
import { hadoop } from '../../protocol/generated/hadoop';
import { ChecksumType, computeChunkChecksums } from '../../protocol/datatransfer/checksum';

const SPEC = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 } as const;
const Type = hadoop.hdfs.datanode.DatanodeCommandProto.Type;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnfleet-recovery-cmd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const recovery = (blockId: number, genStamp: number, newGenStamp: number): hadoop.hdfs.datanode.IDatanodeCommandProto => ({
  cmdType: Type.BlockRecoveryCommand,
  recoveryCmd: { blocks: [{ block: { b: { poolId: 'BP-1', blockId, generationStamp: genStamp, numBytes: 0 }, offset: 0, locs: [], corrupt: false, blockToken: { identifier: new Uint8Array(), password: new Uint8Array(), kind: '', service: '' } }, newGenStamp }] },
});

/** The namenode hands a command out again until a report confirms it: the second delivery must change nothing and report again. */
test('a recovery command delivered twice finalizes the replica once and reports it both times', async () => {
  const store = await LocalBlockStore.open(dir);
  const writer = await store.createRbw(1_073_800_001, 1001, SPEC);
  const data = Buffer.alloc(1300, 7);
  await writer.append(data, computeChunkChecksums(SPEC, data));
  const received: ReplicaInfo[] = [];
  const ctx = {
    store,
    events: { received: (r: ReplicaInfo) => void received.push(r), receiving: () => undefined, deleted: () => undefined, corrupt: () => undefined },
    logger: pino({ level: 'silent' }),
    connectTimeoutMs: 1000,
    socketTimeoutMs: 1000,
    blockKeys: new DatanodeBlockKeys(false),
  };
  await executeCommand(ctx, recovery(1_073_800_001, 1001, 1005));
  const after = store.get(1_073_800_001);
  expect(after).toMatchObject({ generationStamp: 1005, numBytes: 1300, state: 'finalized' });
  await executeCommand(ctx, recovery(1_073_800_001, 1001, 1005));
  expect(store.get(1_073_800_001)).toEqual(after);
  expect(received.map((r) => [r.generationStamp, r.numBytes, r.state])).toEqual([
    [1005, 1300, 'finalized'],
    [1005, 1300, 'finalized'],
  ]);
});
