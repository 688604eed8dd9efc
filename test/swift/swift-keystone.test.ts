import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChecksumType, computeChunkChecksums, findChecksumMismatch } from '../../protocol/datatransfer/checksum';
import { loadSwiftCredentials } from '../../datanode/store/swift-credentials';
import { SwiftBlockStore } from '../../datanode/store/swift-block-store';
import { pickFreePort } from '../../cli/local/free-port';
import { startKeystone, type KeystoneServer } from '../harness/keystone-server';
import { payload } from '../harness/payload';
import { execProcess } from '../harness/process-fixture';
import { startSwiftCluster, type SwiftCluster } from '../../cli/local/swift-server';

const SPEC = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 };
let keystone: KeystoneServer;
let swift: SwiftCluster;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnfleet-swift-ks-'));
  const proxyPort = await pickFreePort();
  keystone = await startKeystone(`http://127.0.0.1:${proxyPort}`);
  swift = await startSwiftCluster({ proxyPort, keystone: { url: keystone.url, adminPassword: keystone.adminPassword } });
}, 240_000);
afterAll(async () => {
  await swift?.stop();
  await keystone?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function credentialsFile(password: string): string {
  const file = join(dir, `ks-${password.length}.json`);
  writeFileSync(file, JSON.stringify({ auth: 'keystone-v3-password', authUrl: keystone.url, user: 'admin', password, project: 'admin', region: 'RegionOne' }), { mode: 0o600 });
  return file;
}

test('Keystone v3 password auth: the store finds Swift in the catalog, writes and reads a block; swift list (v3) shows it', async () => {
  const store = await SwiftBlockStore.open({ credentials: loadSwiftCredentials(credentialsFile(keystone.adminPassword)), container: 'kblocks', stagingDir: join(dir, 'staging'), idleTimeoutMs: 10_000 });
  try {
    const data = payload(70_000, 5);
    const w = await store.createRbw(501, 1, SPEC);
    await w.append(data, computeChunkChecksums(SPEC, data));
    await w.finalize();
    const r = await store.openReader({ blockId: 501, generationStamp: 1 });
    const back = await r.readData(0, data.length);
    expect(back.equals(data)).toBe(true);
    expect(findChecksumMismatch(SPEC, back, await r.readChecksums(0, Math.ceil(data.length / 512)))).toBe(-1);
  } finally {
    store.close();
  }
  const { stdout } = await execProcess(
    '/usr/bin/swift',
    ['--auth-version', '3', '--os-auth-url', keystone.url, '--os-username', 'admin', '--os-password', keystone.adminPassword, '--os-project-name', 'admin', '--os-user-domain-name', 'Default', '--os-project-domain-name', 'Default', 'list', 'kblocks'],
    { timeoutMs: 60_000 },
  );
  expect(stdout).toBe('blk_501_1\n');
});

test('a wrong password is refused by Keystone, by name', async () => {
  await expect(
    SwiftBlockStore.open({ credentials: loadSwiftCredentials(credentialsFile('wrong')), container: 'kblocks', stagingDir: join(dir, 'staging2'), idleTimeoutMs: 10_000 }),
  ).rejects.toThrow(/Keystone authentication .* failed: HTTP 401/);
});
