import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { hadoop } from '../../protocol/generated/hadoop';
import { until } from '../harness/eventually';
import { RetryingClient } from '../harness/retrying-client';
import { expectAllGone, runCli, type CliRun } from '../cli/cli-process';
import { allPids, parseFleetOutput, type FleetOutput } from '../cli/fleet-output';

const H = hadoop.hdfs;
const USER = userInfo().username;

/**
 * The point of the product: clients write and rename through haproxy while
 * a namenode is killed -9. Every operation a client saw succeed is there
 * afterwards, none is applied twice, and calls retried on the surviving
 * namenode get their original answers from the retry cache.
 */
describe('kill -9 of a namenode under load', () => {
  let dir: string;
  let up: CliRun;
  let fleet: FleetOutput;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nnkill-'));
    up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0', '--namenodes', '2', '--datanodes', '0']);
    await up.waitFor(/^ready hdfs:/m, 60_000);
    fleet = parseFleetOutput(up.stdout());
  }, 70_000);

  afterAll(async () => {
    up.child.kill('SIGTERM');
    await up.exited;
    await expectAllGone(allPids(fleet), 15_000);
    rmSync(dir, { recursive: true, force: true });
  });

  test('acknowledged creates and renames all survive, none twice; retried calls get their first answer', async () => {
    const [host, port] = fleet.balancer.split(':') as [string, string];
    const clients = Array.from({ length: 4 }, () => new RetryingClient(host, Number(port), USER));
    const acknowledged: { created: string; renamed: string; fileId: number }[] = [];
    const surprises: string[] = [];
    let stop = false;
    let killed = false;
    /** Clients with an operation started after the kill and acknowledged. */
    const servedAfterKill = new Set<number>();
    const work = clients.map(async (c, k) => {
      for (let i = 0; !stop; i++) {
        const created = `/kill/w${k}-${i}`;
        const renamed = `/kill/r${k}-${i}`;
        const clientName = `DFSClient_kill_${k}`;
        const afterKill = killed;
        try {
          const { response: cr } = await c.call('create', H.CreateRequestProto, { src: created, masked: { perm: 0o644 }, clientName, createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 27 }, H.CreateResponseProto);
          await c.call('complete', H.CompleteRequestProto, { src: created, clientName }, H.CompleteResponseProto);
          const { response: rr } = await c.call('rename', H.RenameRequestProto, { src: created, dst: renamed }, H.RenameResponseProto);
          if (!rr.result) surprises.push(`rename ${created} answered false`);
          acknowledged.push({ created, renamed, fileId: Number(cr.fs?.fileId) });
          if (afterKill) servedAfterKill.add(k);
        } catch (e) {
          surprises.push(`${created}: ${(e as Error).message}`);
        }
      }
    });
    let ackedBeforeKill = 0;
    let recoveredMs = 0;
    try {
      // Kill one namenode in the middle of the load: once every client has had work acknowledged.
      await until('every client to have work acknowledged', () => clients.every((_, k) => acknowledged.some((a) => a.created.startsWith(`/kill/w${k}-`))) || surprises.length > 0, 60_000);
      ackedBeforeKill = acknowledged.length;
      process.kill(fleet.namenodes[0]!.pid, 'SIGKILL');
      killed = true;
      const killedAt = Date.now();
      await until('every client to be served again after the kill', () => servedAfterKill.size === clients.length || surprises.length > 0, 60_000);
      recoveredMs = Date.now() - killedAt;
    } finally {
      stop = true;
      await Promise.all(work);
    }

    expect(surprises).toEqual([]);
    const retried = clients.reduce((n, c) => n + c.retriedCalls, 0);
    // The kill cut connections with calls in flight: some calls were retried elsewhere.
    expect(retried).toBeGreaterThan(0);

    const check = new RetryingClient(host, Number(port), USER);
    const names = new Set<string>();
    let startAfter = Buffer.alloc(0);
    for (;;) {
      const { response } = await check.call('getListing', H.GetListingRequestProto, { src: '/kill', startAfter, needLocation: false }, H.GetListingResponseProto);
      const part = response.dirList?.partialListing ?? [];
      for (const e of part) names.add(Buffer.from(e.path).toString());
      if (!response.dirList || Number(response.dirList.remainingEntries) === 0 || part.length === 0) break;
      startAfter = Buffer.from(part[part.length - 1]!.path);
    }
    check.close();
    for (const a of acknowledged) {
      expect(names.has(a.renamed.slice('/kill/'.length))).toBe(true);
      expect(names.has(a.created.slice('/kill/'.length))).toBe(false);
    }
    // No create ran twice: every acknowledged file id is distinct and the directory holds no extra file.
    expect(new Set(acknowledged.map((a) => a.fileId)).size).toBe(acknowledged.length);
    expect([...names].filter((n) => n.startsWith('w'))).toEqual([]);
    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect(servedAfterKill.size).toBe(clients.length);
    process.stdout.write(
      `kill-namenode: ${acknowledged.length} create+complete+rename acknowledged (${ackedBeforeKill} before the kill), ` +
        `${retried} calls retried after the kill, every client served again ${recoveredMs} ms after it\n`,
    );
    for (const c of clients) c.close();
  }, 150_000);
});
