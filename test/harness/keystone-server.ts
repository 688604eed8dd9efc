import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickFreePort } from '../../cli/local/free-port';
import { logTail } from '../../cli/local/log-file';
import { execProcess, startProcess, type TestProcess } from './process-fixture';

/** Inserts Swift's service and public endpoint (keystone's own tables, as `openstack endpoint create` would). */
const REGISTER_SWIFT = `
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
service = uuid.uuid4().hex
db.execute("INSERT INTO service (id, type, enabled, extra) VALUES (?, 'object-store', 1, '{\\"name\\": \\"swift\\"}')", (service,))
db.execute("INSERT INTO endpoint (id, legacy_endpoint_id, interface, service_id, url, extra, enabled, region_id) VALUES (?, NULL, 'public', ?, ?, '{}', 1, 'RegionOne')", (uuid.uuid4().hex, service, sys.argv[2]))
db.commit()
`;

export interface KeystoneServer {
  /** e.g. http://127.0.0.1:P/v3 */
  readonly url: string;
  readonly adminPassword: string;
  /** A token of `admin` in project `admin` (password auth), with the user's id. */
  adminLogin(): Promise<{ token: string; userId: string }>;
  stop(): Promise<void>;
}

/**
 * A private Keystone (Debian's `keystone`, SQLite, fernet tokens) served by
 * keystone-wsgi-public on loopback, bootstrapped with user `admin` in
 * project `admin`, Swift at `swiftUrl` in its catalog as the public
 * object-store of RegionOne; facts in ../shared/INFRA.md. Stopped by pid.
 */
export async function startKeystone(swiftUrl: string): Promise<KeystoneServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-keystone-'));
  let server: TestProcess | undefined;
  const stop = async (): Promise<void> => {
    // wsgiref holds no state worth a graceful stop.
    await server?.stop(0);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await pickFreePort();
    const url = `http://127.0.0.1:${port}/v3`;
    const adminPassword = 'keystone-admin-secret';
    for (const d of ['log', 'fernet', 'cred']) mkdirSync(join(dir, d), { recursive: true });
    const conf = join(dir, 'keystone.conf');
    writeFileSync(
      conf,
      `[DEFAULT]\nlog_dir = ${join(dir, 'log')}\n[database]\nconnection = sqlite:///${join(dir, 'keystone.db')}\n[token]\nprovider = fernet\n[fernet_tokens]\nkey_repository = ${join(dir, 'fernet')}\n[credential]\nkey_repository = ${join(dir, 'cred')}\n`,
    );
    const manage = (args: string[]) => execProcess('/usr/bin/keystone-manage', ['--config-file', conf, ...args], { timeoutMs: 120_000 });
    await manage(['db_sync']);
    await manage(['fernet_setup', '--keystone-user', 'root', '--keystone-group', 'root']);
    await manage(['credential_setup', '--keystone-user', 'root', '--keystone-group', 'root']);
    const endpoint = `http://127.0.0.1:${port}/v3/`;
    await manage(['bootstrap', '--bootstrap-password', adminPassword, '--bootstrap-public-url', endpoint, '--bootstrap-admin-url', endpoint, '--bootstrap-internal-url', endpoint, '--bootstrap-region-id', 'RegionOne']);
    // The catalog entry goes in before the server starts: through the API, SQLite answered
    // "database is locked" to every write while the server ran (a transaction left open).
    await execProcess('/usr/bin/python3', ['-c', REGISTER_SWIFT, join(dir, 'keystone.db'), `${swiftUrl}/v1/AUTH_$(project_id)s`], { timeoutMs: 30_000 });
    const fd = openSync(join(dir, 'log', 'wsgi.log'), 'a');
    const wsgi = startProcess('/usr/bin/keystone-wsgi-public', ['--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', fd, fd], env: { ...process.env, OS_KEYSTONE_CONFIG_FILES: conf } });
    server = wsgi;
    closeSync(fd);
    const adminLogin = async (): Promise<{ token: string; userId: string }> => {
      const r = await fetch(`${url}/auth/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: adminPassword } } },
            scope: { project: { name: 'admin', domain: { id: 'default' } } },
          },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await r.json().catch(() => undefined)) as { token?: { user?: { id?: string } } } | undefined;
      const token = r.headers.get('x-subject-token');
      const userId = body?.token?.user?.id;
      if (r.status !== 201 || !token || !userId) throw new Error(`keystone token: HTTP ${r.status}`);
      return { token, userId };
    };
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!wsgi.running()) throw new Error(`keystone exited:\n${logTail(join(dir, 'log', 'wsgi.log'))}`);
      try {
        await adminLogin();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`keystone not ready:\n${logTail(join(dir, 'log', 'wsgi.log'))}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    return {
      url,
      adminPassword,
      adminLogin,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
