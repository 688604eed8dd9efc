import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('dnreport');
  for (const [i, uuid] of ['a', 'b', 'c', 'd'].entries()) {
    await f.ns.datanodes.register({ uuid, ipAddr: `10.0.0.${i + 1}`, hostName: `dn-${uuid}`, xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
  }
  await f.pool.query("UPDATE datanodes SET state = 1 WHERE uuid = 'b'");
  await f.pool.query("UPDATE datanodes SET last_heartbeat = 0 WHERE uuid = 'c'");
  await f.pool.query("UPDATE datanodes SET state = 3 WHERE uuid = 'd'");
});
afterAll(() => f.close());

const uuids = async (type: Parameters<NamesystemFixture['ns']['getDatanodeReport']>[0]) =>
  (await f.ns.getDatanodeReport(type)).map((d) => d.uuid).sort();

test('a report lists all, the live (heartbeating, not declared dead), the dead, or the decommissioning datanodes', async () => {
  expect(await uuids('all')).toEqual(['a', 'b', 'c', 'd']);
  expect(await uuids('live')).toEqual(['a', 'b']);
  expect(await uuids('dead')).toEqual(['c', 'd']);
  expect(await uuids('decommissioning')).toEqual(['b']);
});
