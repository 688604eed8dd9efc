import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { bulkTree } from '../../cli/bench/bulk-tree';
import { eventually } from '../harness/eventually';
import { failureOf } from '../harness/failure-of';
import { hdfs } from '../harness/go-hdfs';
import type { NamenodeProcess } from '../harness/namenode-process';
import { subtreeFleet, type SubtreeFleet } from '../harness/subtree-fleet';

const H = hadoop.hdfs;
const RETRIABLE = 'org.apache.hadoop.ipc.RetriableException';
const DIRS = 5;
const FILES_PER_DIR = 400;
const INODES = DIRS + DIRS * FILES_PER_DIR;

/**
 * Subtree operations across namenode deaths: a namenode killed -9 in phase
 * 2 (walked, nothing changed) or phase 3 (part removed, or about to move)
 * of a big delete or rename leaves a lock the leader clears as soon as
 * membership drops the dead namenode; the retried operation then completes
 * on the survivor, fsck is clean and no file is in both places. While the
 * lock is live, writes inside get RetriableException and reads are served.
 * Writers inside a subtree being deleted or renamed see only the documented
 * answers. Threshold 500 and batches of 200 make 2,005 inodes a subtree
 * operation of many transactions.
 */
let f: SubtreeFleet;
let survivor: IpcClient;
beforeAll(async () => {
  f = await subtreeFleet('stkill', { namenodes: 1, datanodes: 0, defines: ['housekeepingIntervalMs=500', 'subtreeThreshold=500', 'subtreeBatchSize=200'] });
  survivor = await client(f.namenodes[0]!);
}, 60_000);
afterAll(async () => {
  await survivor?.close();
  await f?.close();
});

function client(nn: NamenodeProcess): Promise<IpcClient> {
  return IpcClient.connect({ host: '127.0.0.1', port: nn.rpcPort, user: f.user, protocolName: CLIENT_PROTOCOL });
}

const go = async (args: readonly string[]) => {
  const r = await hdfs(f.address(), f.user, args);
  if (r.code !== 0) throw new Error(`hdfs ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const fileCount = async (src: string): Promise<number> =>
  Number((await survivor.call('getContentSummary', H.GetContentSummaryRequestProto, { path: src }, H.GetContentSummaryResponseProto)).summary?.fileCount);

const exists = async (src: string): Promise<boolean> => Boolean((await survivor.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs);


const create = (c: IpcClient, src: string) =>
  c.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName: 'DFSClient_subtree', createFlag: 1, createParent: false, replication: 1, blockSize: 1 << 27 }, H.CreateResponseProto);

async function expectFsckClean(): Promise<void> {
  const { code, out } = await f.fsck();
  expect({ code, healthy: /is HEALTHY/.test(out) }).toEqual({ code: 0, healthy: true });
}

describe.each([
  ['delete', 2],
  ['delete', 3],
  ['rename', 2],
  ['rename', 3],
] as const)('%s, namenode killed -9 in phase %i', (op, phase) => {
  test('live lock: writes inside retriable, reads served; dead lock: cleared by the leader, the retry completes, fsck clean', async () => {
    const root = `/k/${op}${phase}/tree`;
    const moved = `/k/${op}${phase}/moved`;
    await go(['mkdir', '-p', root]);
    await bulkTree(f.db.config, root, { dirs: DIRS, filesPerDir: FILES_PER_DIR, user: f.user });
    const victim = await f.startNamenode(['-D', `subtreePauseForTests=${op}:${phase}`]);
    const v = await client(victim);
    const call =
      op === 'delete'
        ? v.call('delete', H.DeleteRequestProto, { src: root, recursive: true }, H.DeleteResponseProto)
        : v.call('rename', H.RenameRequestProto, { src: root, dst: moved }, H.RenameResponseProto);
    const answered = failureOf(call);
    await victim.run.waitFor(new RegExp(`^subtree-pause ${op} phase ${phase}$`, 'm'), 60_000);

    // The victim is live: its lock refuses writes inside, on the root and on an ancestor's delete; reads go on.
    expect(await failureOf(create(survivor, `${root}/d00000/new`))).toBe(RETRIABLE);
    expect(await failureOf(survivor.call('delete', H.DeleteRequestProto, { src: root, recursive: true }, H.DeleteResponseProto))).toBe(RETRIABLE);
    expect(await failureOf(survivor.call('rename', H.RenameRequestProto, { src: root, dst: `${moved}-2` }, H.RenameResponseProto))).toBe(RETRIABLE);
    expect(await failureOf(survivor.call('delete', H.DeleteRequestProto, { src: `/k/${op}${phase}`, recursive: true }, H.DeleteResponseProto))).toBe(RETRIABLE);
    expect(await exists(`${root}/d00000/f00000`) || (op === 'delete' && phase === 3)).toBe(true);
    const left = await fileCount(root);
    if (op === 'delete' && phase === 3) expect(left).toBeLessThan(DIRS * FILES_PER_DIR);
    else expect(left).toBe(DIRS * FILES_PER_DIR);
    expect((await f.subtreeOps()).map((o) => o.op)).toEqual([op]);

    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    await victim.run.exited;
    expect(await answered).not.toBe('ok');
    await eventually('the leader clears the dead namenode\'s lock', async () => ((await f.subtreeOps()).length === 0 ? true : undefined), 30_000, 100);
    process.stdout.write(`${op} killed in phase ${phase}: lock cleared ${Date.now() - killedAt} ms after kill -9 (${left} of ${DIRS * FILES_PER_DIR} files left then)\n`);
    await v.close().catch(() => undefined);

    // The client's retry, on the surviving namenode, completes the job.
    if (op === 'delete') {
      await go(['rm', '-r', root]);
      expect(await exists(root)).toBe(false);
    } else {
      await go(['mv', root, moved]);
      expect(await exists(root)).toBe(false);
      expect(await fileCount(moved)).toBe(DIRS * FILES_PER_DIR);
    }
    expect(await f.subtreeOps()).toEqual([]);
    await expectFsckClean();
  }, 180_000);
});

describe.each(['delete', 'rename'] as const)('writers inside a subtree being %sd', (op) => {
  test('see only created, RetriableException or FileNotFoundException; afterwards every acknowledged file is in exactly one place', async () => {
    const root = `/w/${op}/tree`;
    const moved = `/w/${op}/moved`;
    await go(['mkdir', '-p', root]);
    await bulkTree(f.db.config, root, { dirs: DIRS, filesPerDir: FILES_PER_DIR, user: f.user });
    const writers = await Promise.all([0, 1, 2, 3].map(() => client(f.namenodes[0]!)));
    const outcomes = new Map<string, number>();
    const created: string[] = [];
    let stop = false;
    const work = writers.map(async (w, k) => {
      for (let i = 0; !stop; i++) {
        const name = `d0000${i % DIRS}/w${k}-${i}`;
        const outcome = await failureOf(create(w, `${root}/${name}`));
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (outcome === 'ok') created.push(name);
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    await go(op === 'delete' ? ['rm', '-r', root] : ['mv', root, moved]);
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(work);
    await Promise.all(writers.map((w) => w.close()));
    process.stdout.write(`writers inside a ${op}: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
    const allowed = new Set(['ok', RETRIABLE, 'java.io.FileNotFoundException']);
    expect([...outcomes.keys()].filter((o) => !allowed.has(o))).toEqual([]);
    expect(created.length).toBeGreaterThan(0);
    expect(await exists(root)).toBe(false);
    if (op === 'rename') {
      // Created before the move: moved with it; none left behind, none in both places.
      for (const name of created) expect(await exists(`${moved}/${name}`)).toBe(true);
      expect(await fileCount(moved)).toBe(DIRS * FILES_PER_DIR + created.length);
    }
    expect(await f.subtreeOps()).toEqual([]);
    await expectFsckClean();
  }, 180_000);
});
