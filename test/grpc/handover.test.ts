import { eventually } from '../harness/eventually';
import { grpcurl, grpcurlJson } from '../harness/grpcurl';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import type { RunningNamenode } from '../../namenode/namenode-process';

/** Leader hand-over over gRPC: the leader steps down and the other namenode leads; a follower or a lone leader refuses. */
describe('leader hand-over', () => {
  let nn: NamenodeFixture;
  let second: RunningNamenode;
  const at = (n: RunningNamenode) => `127.0.0.1:${n.grpcPort}`;

  beforeAll(async () => {
    nn = await namenodeFixture('handover', { housekeepingIntervalMs: 300 }, { grpcPort: 0 });
  }, 60_000);

  afterAll(async () => {
    await nn?.close();
  });

  test('alone it refuses; with a peer the leader steps down and the peer leads', async () => {
    const first = nn.namenode;
    const alone = await grpcurl(at(first), ['nnfleet.admin.v1.Admin/HandOverLeadership'], { user: nn.superuser });
    expect(alone.stderr).toMatch(/Code: FailedPrecondition/);
    second = await nn.another({}, { grpcPort: 0 });
    await eventually('both namenodes see each other', async () => (first.election.live.length === 2 && second.election.live.length === 2 ? true : undefined));
    expect(first.election.isLeader).toBe(true);
    const follower = await grpcurl(at(second), ['nnfleet.admin.v1.Admin/HandOverLeadership'], { user: nn.superuser });
    expect(follower.stderr).toMatch(/Code: FailedPrecondition/);
    const denied = await grpcurl(at(first), ['nnfleet.admin.v1.Admin/HandOverLeadership'], { user: 'alice' });
    expect(denied.stderr).toMatch(/Code: PermissionDenied/);
    const before = first.election.id;
    const r = await grpcurlJson<{ previousLeaderId: string; newId: string }>(at(first), ['nnfleet.admin.v1.Admin/HandOverLeadership'], { user: nn.superuser });
    expect(Number(r.previousLeaderId)).toBe(before);
    expect(Number(r.newId)).toBeGreaterThan(second.election.id);
    expect(first.election.isLeader).toBe(false);
    await eventually('the peer leads', async () => (second.election.isLeader ? true : undefined));
    const status = await grpcurlJson<{ leaderId: string; namenodes: { id: string }[] }>(at(first), ['nnfleet.admin.v1.Admin/FleetStatus']);
    expect(status.leaderId).toBe(String(second.election.id));
    expect(status.namenodes.map((n) => Number(n.id))).toEqual([second.election.id, first.election.id]);
  }, 60_000);
});
