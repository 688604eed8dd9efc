import { randomUUID } from 'node:crypto';
import { CommandKind } from '../../namenode/dal/command-repository';
import { ReplicaEvent, type DatanodeCommand } from '../../namenode/domain/datanode-messages';
import type { LocatedBlock } from '../../namenode/domain/located-blocks';
import { reapDeadDatanodes } from '../../namenode/leader/duties/dead-datanodes';
import { recoverExpiredLeases } from '../../namenode/leader/duties/lease-monitor';
import { Housekeeper } from '../../namenode/leader/housekeeper';
import type { LeaderElection } from '../../namenode/leader/leader-election';
import pino from 'pino';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * Commands handed out with heartbeats are kept until a report confirms
 * them. "A lost answer" is a heartbeat whose answer the test throws away;
 * "time passing" is handed_out_at moved back in the rows (no sleeping).
 */
const HOUR = 3_600_000;
let f: NamesystemFixture;
const dns: string[] = Array.from({ length: 34 }, () => randomUUID());
const STATS = { capacity: 1e12, dfsUsed: 0, remaining: 1e12, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0 };
const storageOf = (uuid: string) => `DS-${uuid}`;

const heartbeat = (uuid: string): Promise<DatanodeCommand[]> =>
  f.ns.datanodes.heartbeat(uuid, STATS, [{ storageId: storageOf(uuid), storageType: 1, capacity: 1e12, dfsUsed: 0, remaining: 1e12 }]);
const age = async () => f.pool.query(`UPDATE datanode_commands SET handed_out_at = handed_out_at - ${2 * HOUR} WHERE handed_out_at > 0`);
const rows = async <T>(sql: string): Promise<T[]> => (await f.pool.query(sql))[0] as unknown as T[];
const received = (uuid: string, blockId: number, genStamp: number, numBytes: number, event = ReplicaEvent.Received) =>
  f.ns.datanodes.replicasChanged(uuid, [{ blockId, genStamp, numBytes, finalized: event === ReplicaEvent.Received, storageId: storageOf(uuid), event }]);

beforeAll(async () => {
  f = await namesystemFixture('cmddelivery', { commandRedeliveryMs: HOUR, maxReplication: 512 });
  for (const [i, uuid] of dns.entries()) {
    await f.ns.datanodes.register({ uuid, ipAddr: `10.0.${i >> 8}.${i & 255}`, hostName: `dn${i}`, xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
    await heartbeat(uuid);
  }
});
afterAll(() => f.close());

async function writeBlock(src: string, client: string): Promise<LocatedBlock> {
  await f.ns.create(f.root, { src, masked: 0o644, clientName: client, clientMachine: 'm', flags: 1, createParent: true, replication: 3, blockSize: 1 << 27 });
  return f.ns.addBlock(f.root, { src, clientName: client, previous: undefined, exclude: [], favored: [], writer: '' });
}

test('an invalidation whose heartbeat answer was lost is handed out again, and dropped once the datanode reports the replica deleted', async () => {
  const dn = dns[0] as string;
  const ctx = f.ns.context;
  await ctx.runner.mutate('test', ctx.dal.commands.insert({ datanodeUuid: dn, blockId: 424242, kind: CommandKind.Invalidate, genStamp: 1001, numBytes: 5, targets: [] }, Date.now()));
  const invalidated = (cmds: DatanodeCommand[]) => cmds.flatMap((c) => (c.kind === 'invalidate' ? c.blocks.map((b) => b.blockId) : []));
  expect(invalidated(await heartbeat(dn))).toEqual([424242]); // the answer is lost
  expect(invalidated(await heartbeat(dn))).toEqual([]); // handed out, not yet due again
  await age();
  expect(invalidated(await heartbeat(dn))).toEqual([424242]);
  expect(await rows('SELECT deliveries FROM datanode_commands WHERE block_id = 424242')).toEqual([{ deliveries: 2 }]);
  // The datanode deletes it once (deleting an absent replica again is a no-op there) and says so.
  await received(dn, 424242, 1001, 5, ReplicaEvent.Deleted);
  await age();
  expect(invalidated(await heartbeat(dn))).toEqual([]);
  expect(await rows('SELECT * FROM datanode_commands WHERE block_id = 424242')).toEqual([]);
});

test('a lost invalidation confirmed by a full report that no longer lists the replica', async () => {
  const dn = dns[1] as string;
  const ctx = f.ns.context;
  await ctx.runner.mutate('test', ctx.dal.commands.insert({ datanodeUuid: dn, blockId: 434343, kind: CommandKind.Invalidate, genStamp: 1001, numBytes: 5, targets: [] }, Date.now()));
  expect((await heartbeat(dn)).some((c) => c.kind === 'invalidate')).toBe(true);
  await f.ns.datanodes.fullReport(dn, storageOf(dn), []);
  expect(await rows('SELECT * FROM datanode_commands WHERE block_id = 434343')).toEqual([]);
});

test('a lost recovery command is handed out again at the same stamp, and the file closes once the holders report', async () => {
  const lb = await writeBlock('/recovery/f', 'gone-writer');
  const { blockId } = lb.block;
  const holders = lb.locations.map((l) => l.datanode.uuid);
  for (const h of holders) await received(h, blockId, lb.block.genStamp, 0, ReplicaEvent.Receiving);
  const ctx = f.ns.context;
  await recoverExpiredLeases(ctx, Date.now() + 2 * ctx.config.leaseHardLimitMs);
  const recoveryOf = (cmds: DatanodeCommand[]) => cmds.find((c) => c.kind === 'recover' && c.block.blockId === blockId) as Extract<DatanodeCommand, { kind: 'recover' }> | undefined;
  const first = new Map<string, number>();
  for (const h of holders) first.set(h, recoveryOf(await heartbeat(h))?.newGenStamp ?? -1); // every answer lost
  const stamp = first.get(holders[0] as string) as number;
  expect(stamp).toBeGreaterThan(lb.block.genStamp);
  await age();
  for (const h of holders) expect(recoveryOf(await heartbeat(h))?.newGenStamp).toBe(stamp);
  // A lease monitor round meanwhile waits for the pending commands instead of ordering another recovery.
  await recoverExpiredLeases(ctx, Date.now() + 2 * ctx.config.leaseHardLimitMs);
  expect(await rows(`SELECT DISTINCT generation_stamp AS s FROM datanode_commands WHERE block_id = ${blockId}`)).toEqual([{ s: stamp }]);
  for (const h of holders) await received(h, blockId, stamp, 7);
  expect(await rows(`SELECT * FROM datanode_commands WHERE block_id = ${blockId}`)).toEqual([]);
  const status = await f.ns.getFileInfo(f.root, '/recovery/f');
  expect(status?.length).toBe(7);
  // The holder's row, without files now, goes at the next monitor round.
  expect(await rows(`SELECT COUNT(*) AS n FROM lease_paths WHERE holder = 'gone-writer'`)).toEqual([{ n: 0 }]);
  await recoverExpiredLeases(ctx, Date.now() + 2 * ctx.config.leaseHardLimitMs);
  expect(await rows(`SELECT * FROM leases WHERE holder = 'gone-writer'`)).toEqual([]);
});

test('a recovery with no command left and no answer is ordered again at a new stamp', async () => {
  const lb = await writeBlock('/recovery/g', 'gone-writer-2');
  const { blockId } = lb.block;
  const holders = lb.locations.map((l) => l.datanode.uuid);
  for (const h of holders) await received(h, blockId, lb.block.genStamp, 0, ReplicaEvent.Receiving);
  const ctx = f.ns.context;
  const later = Date.now() + 2 * ctx.config.leaseHardLimitMs;
  await recoverExpiredLeases(ctx, later);
  const [{ s: firstStamp }] = await rows<{ s: number }>(`SELECT MAX(generation_stamp) AS s FROM datanode_commands WHERE block_id = ${blockId}`) as [{ s: number }];
  // Lost for good (as when its holders were declared dead and came back).
  await f.pool.query(`DELETE FROM datanode_commands WHERE block_id = ${blockId}`);
  await recoverExpiredLeases(ctx, later);
  const again = await rows<{ datanode_uuid: string; s: number }>(`SELECT datanode_uuid, generation_stamp AS s FROM datanode_commands WHERE block_id = ${blockId} ORDER BY datanode_uuid`);
  expect(again.map((r) => r.datanode_uuid)).toEqual([...holders].sort());
  expect(again.every((r) => r.s > firstStamp)).toBe(true);
});

test('setrep 512 over 34 datanodes: the transfer stores its targets as rows and the round does not fail', async () => {
  const src = '/wide/f';
  const lb = await writeBlock(src, 'wide-writer');
  const { blockId, genStamp } = lb.block;
  for (const l of lb.locations) await received(l.datanode.uuid, blockId, genStamp, 10);
  expect(await f.ns.complete(f.root, src, 'wide-writer', { blockId, genStamp, numBytes: 10 })).toBe(true);
  await f.ns.setReplication(f.root, src, 512);
  const election = { isLeader: true } as unknown as LeaderElection;
  const keeper = new Housekeeper(f.ns.context, election, pino({ level: 'silent' }));
  await f.pool.query('UPDATE under_replicated SET queued_at = 0');
  await keeper.runOnce();
  expect(keeper.failures).toBe(0);
  const targets = await rows<{ n: number }>(`SELECT COUNT(*) AS n FROM command_targets WHERE block_id = ${blockId} AND kind = ${CommandKind.Transfer}`);
  expect(Number(targets[0]?.n)).toBe(dns.length - 3);
  const [source] = await rows<{ datanode_uuid: string }>(`SELECT datanode_uuid FROM datanode_commands WHERE block_id = ${blockId} AND kind = ${CommandKind.Transfer}`);
  const transfer = (await heartbeat(source?.datanode_uuid as string)).find((c) => c.kind === 'transfer');
  expect(transfer?.kind === 'transfer' && transfer.targets.length).toBe(dns.length - 3);
  // One target reports the copy: the transfer is confirmed (the monitor schedules the rest anew).
  const firstTarget = transfer?.kind === 'transfer' ? (transfer.targets[0]?.datanode.uuid as string) : '';
  await received(firstTarget, blockId, genStamp, 10);
  expect(await rows(`SELECT * FROM datanode_commands WHERE block_id = ${blockId} AND kind = ${CommandKind.Transfer}`)).toEqual([]);
  expect(await rows(`SELECT * FROM command_targets WHERE block_id = ${blockId}`)).toEqual([]);
});

test('reaping a dead datanode: marked dead, replicas dropped and re-queued, commands and their targets gone, together', async () => {
  const dn = dns[dns.length - 1] as string;
  const ctx = f.ns.context;
  await ctx.runner.mutate('test', [
    ...ctx.dal.commands.insert({ datanodeUuid: dn, blockId: 515151, kind: CommandKind.Transfer, genStamp: 1, numBytes: 1, targets: [dns[0] as string] }, Date.now()),
  ]);
  await received(dn, (await writeBlock('/reap/f', 'reap-writer')).block.blockId, 0, 0, ReplicaEvent.Receiving).catch(() => undefined);
  await f.pool.query(`UPDATE datanodes SET last_heartbeat = 1 WHERE uuid = '${dn}'`);
  expect(await reapDeadDatanodes(ctx, Date.now())).toBe(1);
  expect(await rows(`SELECT state FROM datanodes WHERE uuid = '${dn}'`)).toEqual([{ state: 3 }]);
  expect(await rows(`SELECT * FROM datanode_commands WHERE datanode_uuid = '${dn}'`)).toEqual([]);
  expect(await rows(`SELECT * FROM command_targets WHERE datanode_uuid = '${dn}'`)).toEqual([]);
  expect(await rows(`SELECT * FROM replicas WHERE datanode_uuid = '${dn}'`)).toEqual([]);
  // Reaped once: a second round finds nothing, and the datanode's next heartbeat is told to register.
  expect(await reapDeadDatanodes(ctx, Date.now())).toBe(0);
  expect(await heartbeat(dn)).toEqual([{ kind: 'register' }]);
});

test('deleting a file queues an invalidation for each of its replicas (read in the lock round trip), handed out with heartbeats', async () => {
  const lb = await writeBlock('/deleted/f', 'del-writer');
  const { blockId, genStamp } = lb.block;
  const holders = lb.locations.map((l) => l.datanode.uuid);
  for (const h of holders) await received(h, blockId, genStamp, 7);
  expect(await f.ns.complete(f.root, '/deleted/f', 'del-writer', { ...lb.block, numBytes: 7 })).toBe(true);
  const roundTrips = f.sqlDb.roundTrips;
  expect(await f.ns.delete(f.root, '/deleted/f', false)).toBe(true);
  // The file's id was hinted by its create: lock round trip (with the replicas' read), then writes and COMMIT.
  expect(f.sqlDb.roundTrips - roundTrips).toBe(2);
  const queued = await rows<{ datanode_uuid: string }>(`SELECT datanode_uuid FROM datanode_commands WHERE block_id = ${blockId} AND kind = ${CommandKind.Invalidate}`);
  expect(queued.map((q) => q.datanode_uuid).sort()).toEqual([...holders].sort());
  for (const h of holders) {
    expect((await heartbeat(h)).flatMap((c) => (c.kind === 'invalidate' ? c.blocks.map((b) => b.blockId) : []))).toContain(blockId);
  }
});
