import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChecksumType, computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { loadSwiftCredentials } from '../../datanode/store/swift-credentials';
import { SwiftBlockStore } from '../../datanode/store/swift-block-store';
import { pickFreePort } from '../../cli/local/free-port';
import { startKeystone, type KeystoneServer } from '../harness/keystone-server';
import { hdfs } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { execProcess } from '../harness/process-fixture';
import { swiftFleet, SWIFT_CONTAINER, type SwiftFleet } from '../harness/swift-fleet';

const BLOCK = 1024 * 1024;
const SPEC = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 };
let keystone: KeystoneServer;
let dir: string;
let appCred: { id: string; name: string; secret: string };
let f: SwiftFleet;

/** Creates an application credential for `admin` in project `admin` through Keystone's API, as `openstack application credential create` does. */
async function createApplicationCredential(name: string): Promise<{ id: string; name: string; secret: string }> {
  const { token, userId } = await keystone.adminLogin();
  const r = await fetch(`${keystone.url}/users/${userId}/application_credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': token },
    body: JSON.stringify({ application_credential: { name, description: 'nnfleet Swift gateways' } }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await r.text();
  if (r.status !== 201) throw new Error(`application credential create: HTTP ${r.status} ${text}`);
  const c = (JSON.parse(text) as { application_credential: { id: string; name: string; secret: string } }).application_credential;
  return { id: c.id, name: c.name, secret: c.secret };
}

function credentialsFile(name: string, fields: Record<string, string>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ auth: 'keystone-v3-application-credential', authUrl: keystone.url, region: 'RegionOne', ...fields }), { mode: 0o600 });
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnfleet-swift-appcred-'));
  const proxyPort = await pickFreePort();
  keystone = await startKeystone(`http://127.0.0.1:${proxyPort}`);
  appCred = await createApplicationCredential('nnfleet-gateways');
  // The gateways hold only the application credential: no password anywhere in their files.
  f = await swiftFleet('swiftappcred', 2, {
    config: { blockSize: BLOCK },
    swift: { proxyPort, keystone: { url: keystone.url, adminPassword: keystone.adminPassword } },
    credentialsFile: credentialsFile('by-id', { applicationCredentialId: appCred.id, applicationCredentialSecret: appCred.secret }),
  });
}, 300_000);
afterAll(async () => {
  await f?.close();
  await keystone?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The container's objects, listed with the application credential by python3-swiftclient.
 * `--flag=value`: Keystone's secrets are URL-safe base64, so one in 64 starts with '-', which
 * argparse would take for a flag if it were a separate argument (CI failed that way once).
 */
async function objects(): Promise<string[]> {
  const { stdout } = await execProcess(
    '/usr/bin/swift',
    ['--auth-version', '3', '--os-auth-type', 'v3applicationcredential', '--os-auth-url', keystone.url, `--os-application-credential-id=${appCred.id}`, `--os-application-credential-secret=${appCred.secret}`, 'list', SWIFT_CONTAINER],
    { timeoutMs: 60_000 },
  );
  return stdout.split('\n').filter((l) => l !== '');
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('datanodes with only an application credential (id + secret) store and serve a file the Go client writes and reads byte-exact', async () => {
  const size = 3 * BLOCK + 4321;
  const local = join(f.work, 'in');
  const back = join(f.work, 'out');
  writeFileSync(local, payload(size, 13));
  const put = await hdfs(f.nn.address, f.nn.superuser, ['put', local, '/appcred']);
  expect(put.stderr).toBe('');
  expect(put.code).toBe(0);
  const get = await hdfs(f.nn.address, f.nn.superuser, ['get', '/appcred', back]);
  expect(get.stderr).toBe('');
  expect(sha(readFileSync(back))).toBe(sha(readFileSync(local)));
  const listed = await objects();
  expect(listed.length).toBe(4);
  expect(listed.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
});

test('by name + secret + user: the store writes and reads a block in the credential project', async () => {
  const file = credentialsFile('by-name', { applicationCredentialName: appCred.name, applicationCredentialSecret: appCred.secret, user: 'admin', userDomain: 'Default' });
  const store = await SwiftBlockStore.open({ credentials: loadSwiftCredentials(file), container: 'byname', stagingDir: join(dir, 'staging'), idleTimeoutMs: 10_000 });
  try {
    const data = payload(70_000, 7);
    const w = await store.createRbw(901, 1, SPEC);
    await w.append(data, computeChunkChecksums(SPEC, data));
    await w.finalize();
    const r = await store.openReader({ blockId: 901, generationStamp: 1 });
    expect((await r.readData(0, data.length)).equals(data)).toBe(true);
  } finally {
    store.close();
  }
});

test('a wrong application-credential secret is refused by Keystone', async () => {
  const file = credentialsFile('wrong', { applicationCredentialId: appCred.id, applicationCredentialSecret: 'not-the-secret' });
  await expect(SwiftBlockStore.open({ credentials: loadSwiftCredentials(file), container: 'byname', stagingDir: join(dir, 'staging2'), idleTimeoutMs: 10_000 })).rejects.toThrow(
    /Keystone authentication .* failed: HTTP 401/,
  );
});
