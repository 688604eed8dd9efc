import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/cli-process';
import { grpcurl, grpcurlJson } from '../harness/grpcurl';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { execProcess } from '../harness/process-fixture';

/**
 * The gRPC port with TLS (`--grpc-tls-cert/--grpc-tls-key`; here the
 * fixture's grpcTls): a self-signed certificate made by openssl for
 * 127.0.0.1. grpcurl trusting it (-cacert) calls Admin/FleetStatus and
 * lists services through reflection, as does `nnfleet admin --tls-ca`;
 * a plaintext client, and a TLS client that does not trust the
 * certificate, are refused.
 */
describe('the gRPC port over TLS', () => {
  let nn: NamenodeFixture;
  let work: string;
  let cert: string;
  let address: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nngrpctls-'));
    cert = join(work, 'cert.pem');
    const key = join(work, 'key.pem');
    await execProcess('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { timeoutMs: 30_000 });
    nn = await namenodeFixture('grpctls', {}, { grpcPort: 0, grpcTls: { certPem: readFileSync(cert), keyPem: readFileSync(key) } });
    address = `127.0.0.1:${nn.namenode.grpcPort}`;
  }, 60_000);

  afterAll(async () => {
    await nn?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('grpcurl -cacert calls FleetStatus and lists services; plaintext and untrusting clients are refused', async () => {
    const status = await grpcurlJson<{ namenodes: { rpcAddress: string }[]; selfId: string; leaderId: string; database: string }>(address, ['nnfleet.admin.v1.Admin/FleetStatus'], { cacert: cert });
    expect(status.namenodes.map((n) => n.rpcAddress)).toEqual([nn.address]);
    expect(status.database).toBe('REACHABILITY_REACHABLE');
    const list = await grpcurl(address, ['list'], { cacert: cert });
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toContain('nnfleet.admin.v1.Admin');

    const plaintext = await grpcurl(address, ['nnfleet.admin.v1.Admin/FleetStatus']);
    expect(plaintext.code).not.toBe(0);
    expect(plaintext.stdout).toBe('');
    process.stdout.write(`plaintext client against the TLS port: exit ${plaintext.code}: ${plaintext.stderr.trim()}\n`);
    // TLS trusting only the system's CAs: the client refuses the self-signed certificate.
    const untrusting = await grpcurl(address, ['nnfleet.admin.v1.Admin/FleetStatus'], { cacert: '' });
    expect(untrusting.code).not.toBe(0);
    expect(untrusting.stderr).toMatch(/certificate signed by unknown authority/);

    // After the refused connections the port still serves.
    const again = await grpcurlJson<{ selfId: string }>(address, ['nnfleet.admin.v1.Admin/FleetStatus'], { cacert: cert });
    expect(again.selfId).toBe(status.selfId);
  }, 60_000);

  test('nnfleet admin --tls-ca reaches the port; without it, it is refused', async () => {
    const withCa = runCli(['admin', '--grpc', address, '--tls-ca', cert, '--json', 'namenodes']);
    expect(await withCa.exited).toBe(0);
    expect(withCa.stdout()).toContain(nn.address);
    const plain = runCli(['admin', '--grpc', address, '--json', 'namenodes']);
    expect(await plain.exited).not.toBe(0);
    expect(plain.stdout()).not.toContain(nn.address);
  }, 60_000);
});
