import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSwiftCredentials } from '../../../datanode/store/swift-credentials';
import { keystoneApplicationCredentialRequest } from '../../../datanode/store/swift-keystone';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nnfleet-appcred-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(fields: Record<string, string>): ReturnType<typeof loadSwiftCredentials> {
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ auth: 'keystone-v3-application-credential', authUrl: 'http://127.0.0.1:5000/v3', ...fields }), { mode: 0o600 });
  return loadSwiftCredentials(file);
}

test('by id: the token request names the credential by id, with no scope', () => {
  const c = load({ applicationCredentialId: 'abc', applicationCredentialSecret: 's3', region: 'RegionOne' });
  expect(c).toEqual({ auth: 'keystone-v3-application-credential', authUrl: 'http://127.0.0.1:5000/v3', secret: 's3', region: 'RegionOne', id: 'abc' });
  if (c.auth !== 'keystone-v3-application-credential') throw new Error('wrong kind');
  expect(JSON.parse(keystoneApplicationCredentialRequest(c).toString())).toEqual({ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'abc', secret: 's3' } } } });
});

test('by name: the owner by name in its domain (Default unless given), or by id', () => {
  const byName = load({ applicationCredentialName: 'gw', applicationCredentialSecret: 's', user: 'alice' });
  if (byName.auth !== 'keystone-v3-application-credential') throw new Error('wrong kind');
  expect(JSON.parse(keystoneApplicationCredentialRequest(byName).toString()).auth.identity.application_credential).toEqual({ name: 'gw', secret: 's', user: { name: 'alice', domain: { name: 'Default' } } });
  const byUserId = load({ applicationCredentialName: 'gw', applicationCredentialSecret: 's', userId: 'u1' });
  if (byUserId.auth !== 'keystone-v3-application-credential') throw new Error('wrong kind');
  expect(JSON.parse(keystoneApplicationCredentialRequest(byUserId).toString()).auth.identity.application_credential).toEqual({ name: 'gw', secret: 's', user: { id: 'u1' } });
});

test('a file missing the secret, the credential, or the owner of a named credential is refused, saying what is missing', () => {
  expect(() => load({ applicationCredentialId: 'abc' })).toThrow(/"applicationCredentialSecret" is missing/);
  expect(() => load({ applicationCredentialSecret: 's' })).toThrow(/"applicationCredentialId" or "applicationCredentialName" is missing/);
  expect(() => load({ applicationCredentialName: 'gw', applicationCredentialSecret: 's' })).toThrow(/needs "user"/);
});
