import type { Logger } from 'pino';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import type { DatanodeBlockKeys } from '../block-keys';
import type { ReplicaEvents } from '../replica-events';
import type { BlockStore, ReplicaInfo } from '../store/block-store';
import { computeChunkChecksums, DEFAULT_CHECKSUM, findChecksumMismatch } from '../../protocol/datatransfer/checksum';
import { transferReplica } from '../transfer/replica-transfer';

const CommandType = hadoop.hdfs.datanode.DatanodeCommandProto.Type;
const Action = hadoop.hdfs.datanode.BlockCommandProto.Action;

export interface CommandContext {
  readonly store: BlockStore;
  readonly events: ReplicaEvents;
  readonly logger: Logger;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly blockKeys: DatanodeBlockKeys;
}

/**
 * Carries out what a namenode handed back with a heartbeat or block report.
 * RegisterCommand is not here: re-registering is the namenode link's job.
 * Commands are idempotent in effect (deleting a deleted replica, copying a
 * replica twice), since several namenodes may hand out the same work.
 */
export async function executeCommand(ctx: CommandContext, cmd: hadoop.hdfs.datanode.IDatanodeCommandProto): Promise<void> {
  switch (cmd.cmdType) {
    case CommandType.BlockCommand:
      if (cmd.blkCmd) await executeBlockCommand(ctx, cmd.blkCmd);
      return;
    case CommandType.BlockRecoveryCommand:
      for (const recovering of cmd.recoveryCmd?.blocks ?? []) await recoverBlock(ctx, recovering);
      return;
    case CommandType.NullDatanodeCommand:
    case CommandType.KeyUpdateCommand:
    case CommandType.BalancerBandwidthCommand:
    case CommandType.FinalizeCommand:
      return;
    default:
      ctx.logger.warn({ cmdType: cmd.cmdType }, 'namenode command not supported; ignored');
  }
}

async function executeBlockCommand(ctx: CommandContext, cmd: hadoop.hdfs.datanode.IBlockCommandProto): Promise<void> {
  const blocks = cmd.blocks ?? [];
  switch (cmd.action) {
    case Action.INVALIDATE:
      for (const block of blocks) await invalidate(ctx, int64ToNumber(block.blockId), int64ToNumber(block.genStamp));
      return;
    case Action.TRANSFER:
      await Promise.all(
        blocks.map((block, i) => replicate(ctx, cmd.blockPoolId ?? '', block, cmd.targets?.[i], cmd.targetStorageTypes?.[i], cmd.targetStorageUuids?.[i])),
      );
      return;
    default:
      ctx.logger.warn({ action: cmd.action }, 'block command action not supported; ignored');
  }
}

/**
 * Block recovery as nnfleet's namenodes run it: each holder of an unfinished
 * block finalizes its own copy — cut to its last verified chunk at start, or
 * to the truncate length — under the recovery generation stamp, and reports
 * it; the namenode then closes the file at the shortest length reported.
 * (Hadoop's primary-datanode protocol with commitBlockSynchronization is not
 * needed: the namenode compares the reports itself.)
 */
async function recoverBlock(ctx: CommandContext, recovering: hadoop.hdfs.IRecoveringBlockProto): Promise<void> {
  const block = recovering.block?.b;
  if (!block) return;
  const blockId = int64ToNumber(block.blockId);
  const newGenerationStamp = int64ToNumber(recovering.newGenStamp);
  const truncate = recovering.truncateBlock;
  const copyTo = truncate && int64ToNumber(truncate.blockId) !== blockId ? int64ToNumber(truncate.blockId) : undefined;
  if (copyTo !== undefined) {
    // The source stays as it is: never recovered empty from a shared store.
    const source = ctx.store.get(blockId) ?? (await ctx.store.lookup?.(blockId, 0).catch(() => undefined));
    if (source) await copyOnTruncate(ctx, source, copyTo, newGenerationStamp, int64ToNumber(truncate?.numBytes ?? 0));
    return;
  }
  const replica = ctx.store.get(blockId) ?? (await fromSharedStore(ctx, blockId, newGenerationStamp));
  if (!replica || replica.generationStamp > newGenerationStamp) return;
  // A command handed out again (its first answer lost, or not yet confirmed): already done; say so again.
  if (replica.generationStamp === newGenerationStamp && replica.state === 'finalized') {
    ctx.events.received(replica);
    return;
  }
  const maxBytes = truncate ? int64ToNumber(truncate.numBytes ?? 0) : Number.MAX_SAFE_INTEGER;
  try {
    const writer = await ctx.store.openNewGeneration(replica, { kind: 'recovery', generationStamp: newGenerationStamp, minBytes: 0, maxBytes });
    const info = await writer.finalize();
    ctx.events.received(info);
    ctx.logger.info({ blockId, generationStamp: newGenerationStamp, numBytes: info.numBytes }, 'recovered block');
  } catch (err) {
    ctx.logger.warn({ err, blockId }, 'block recovery failed');
  }
}

/** Bytes copied per read: whole checksum chunks. */
const COPY_SLICE_CHUNKS = 2048;

/**
 * HDFS's copy-on-truncate (a snapshot still reads the old block): the first
 * `length` bytes of `source` become a new finalized replica of `newBlockId`
 * at `generationStamp`, and `source` stays as it is. Each slice read is
 * checked against the stored checksums of its whole chunks; the copy's
 * checksums are computed afresh (its last chunk may be shorter).
 */
async function copyOnTruncate(ctx: CommandContext, source: ReplicaInfo, newBlockId: number, generationStamp: number, length: number): Promise<void> {
  const done = ctx.store.get(newBlockId);
  if (done) {
    // Handed out again: already copied; say so again.
    if (done.generationStamp === generationStamp && done.state === 'finalized') ctx.events.received(done);
    return;
  }
  const spec = source.checksum;
  try {
    if (source.state !== 'finalized' || source.numBytes < length) throw new Error(`source replica ${source.blockId} is ${source.state} with ${source.numBytes} bytes, ${length} needed`);
    const reader = await ctx.store.openReader(source);
    const writer = await ctx.store.createRbw(newBlockId, generationStamp, spec);
    try {
      const slice = spec.bytesPerChecksum * COPY_SLICE_CHUNKS;
      for (let offset = 0; offset < length; offset += slice) {
        const data = await reader.readData(offset, Math.min(slice, length - offset));
        const whole = Math.floor(Math.min(data.length, source.numBytes - offset) / spec.bytesPerChecksum);
        const stored = await reader.readChecksums(offset / spec.bytesPerChecksum, whole);
        if (findChecksumMismatch(spec, data.subarray(0, whole * spec.bytesPerChecksum), stored) >= 0) throw new Error(`checksum error in replica ${source.blockId} at ${offset}`);
        await writer.append(data, computeChunkChecksums(spec, data));
      }
      const info = await writer.finalize();
      ctx.events.received(info);
      ctx.logger.info({ blockId: source.blockId, newBlockId, generationStamp, numBytes: info.numBytes }, 'copied block on truncate');
    } catch (err) {
      await writer.abort();
      throw err;
    } finally {
      await reader.close();
    }
  } catch (err) {
    ctx.logger.warn({ err, blockId: source.blockId, newBlockId }, 'copy-on-truncate failed');
  }
}

/**
 * A block this gateway does not hold, on shared storage: the writer's
 * gateway died, or came back with nothing staged, and the namenode asks any
 * live gateway. What reached the store is the block (an object uploaded but
 * never reported); when nothing did, no byte of it is durable, so the
 * block is recovered empty — an empty object at the recovery stamp, which
 * the namenode drops with the block (HDFS drops an empty last block).
 */
async function fromSharedStore(ctx: CommandContext, blockId: number, newGenerationStamp: number): Promise<ReplicaInfo | undefined> {
  if (!ctx.store.lookup) return undefined;
  try {
    const stored = await ctx.store.lookup(blockId, 0);
    if (stored) return stored;
    const writer = await ctx.store.createRbw(blockId, newGenerationStamp, DEFAULT_CHECKSUM);
    const info = await writer.finalize();
    ctx.logger.info({ blockId, generationStamp: newGenerationStamp }, 'block recovered empty: none of it reached the shared store');
    return info;
  } catch (err) {
    // The store down, say: the namenode orders the recovery again.
    ctx.logger.warn({ err, blockId }, 'block recovery from the shared store failed');
    return undefined;
  }
}

async function invalidate(ctx: CommandContext, blockId: number, generationStamp: number): Promise<void> {
  const replica = ctx.store.get(blockId);
  // A newer replica than the one the namenode means (re-created since) stays.
  if (!replica || replica.generationStamp > generationStamp) return;
  if (await ctx.store.delete(replica)) ctx.events.deleted(replica);
}

async function replicate(
  ctx: CommandContext,
  poolId: string,
  block: hadoop.hdfs.IBlockProto,
  targets: hadoop.hdfs.IDatanodeInfosProto | undefined,
  storageTypes: hadoop.hdfs.IStorageTypesProto | undefined,
  storageUuids: hadoop.hdfs.IStorageUuidsProto | undefined,
): Promise<void> {
  const blockId = int64ToNumber(block.blockId);
  const datanodes = targets?.datanodes ?? [];
  if (datanodes.length === 0) return;
  try {
    await transferReplica(ctx.store, {
      poolId,
      blockId,
      targets: datanodes,
      targetStorageTypes: storageTypes?.storageTypes ?? [],
      targetStorageIds: storageUuids?.storageUuids ?? [],
      clientName: '',
      connectTimeoutMs: ctx.connectTimeoutMs,
      socketTimeoutMs: ctx.socketTimeoutMs,
      token: ctx.blockKeys.issue(poolId, BigInt(blockId), ['WRITE']),
    });
    ctx.logger.info({ blockId, targets: datanodes.map((d) => `${d.id?.ipAddr}:${d.id?.xferPort}`) }, 'replicated block');
  } catch (err) {
    ctx.logger.warn({ err, blockId }, 'replication failed');
  }
}
