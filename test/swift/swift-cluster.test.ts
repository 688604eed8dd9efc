import { startSwiftCluster, type SwiftCluster } from '../../cli/local/swift-server';

let swift: SwiftCluster;
beforeAll(async () => {
  swift = await startSwiftCluster();
}, 120_000);
afterAll(async () => {
  await swift?.stop();
});

test('the private Swift takes an object and lists it (TempAuth, python3-swiftclient)', async () => {
  await swift.swiftCli(['post', 'probe']);
  const auth = await fetch(swift.authUrl, { headers: { 'X-Auth-User': swift.user, 'X-Auth-Key': swift.key } });
  const token = auth.headers.get('x-auth-token') as string;
  const storage = auth.headers.get('x-storage-url') as string;
  const put = await fetch(`${storage}/probe/hello`, { method: 'PUT', headers: { 'X-Auth-Token': token }, body: 'hello swift' });
  expect(put.status).toBe(201);
  expect(await swift.swiftCli(['list', 'probe'])).toBe('hello\n');
  const ranged = await fetch(`${storage}/probe/hello`, { headers: { 'X-Auth-Token': token, Range: 'bytes=6-10' } });
  expect(ranged.status).toBe(206);
  expect(await ranged.text()).toBe('swift');
});
