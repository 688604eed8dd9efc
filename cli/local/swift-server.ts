import { execFile, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pickFreePort } from './free-port';
import { spawnGuarded } from './guarded-spawn';
import { logTail } from './log-file';

const run = promisify(execFile);
/** Debian's python, which has the swift package (a pyenv python on PATH may not). */
const PYTHON = '/usr/bin/python3';
const SERVERS = ['account', 'container', 'object'] as const;

export interface SwiftCluster {
  /** The proxy's root, e.g. http://127.0.0.1:P */
  readonly url: string;
  /** TempAuth v1 endpoint. */
  readonly authUrl: string;
  readonly user: string;
  readonly key: string;
  readonly dir: string;
  /** The proxy's pid (the process a person would look for). */
  readonly pid: number;
  /** Settles when any of its servers (memcached, account, container, object, the first proxy) ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Writes a credentials file for the datanode's Swift store and returns its path. */
  credentialsFile(): string;
  /** Runs python3-swiftclient's `swift` command against this cluster. */
  swiftCli(args: readonly string[]): Promise<string>;
  /** Stops the proxy only (Swift "down" for clients); `startProxy` brings it back on the same port. */
  stopProxy(): Promise<void>;
  startProxy(): Promise<void>;
  /** SIGSTOP / SIGCONT of the proxy: Swift hangs (connections accepted, never answered), then comes back. */
  freezeProxy(): void;
  thawProxy(): void;
  stop(): Promise<void>;
}

export interface SwiftClusterOptions {
  /** SLO's smallest non-final segment (Swift's default is 1 MiB): small so tests can cut small blocks into segments. */
  readonly minSegmentSize?: number;
  /** TempAuth's token lifetime (Swift's default is a day): short, so tests see tokens expire. */
  readonly tokenLifeSeconds?: number;
  /** Keystone instead of TempAuth: the proxy validates Keystone tokens (authtoken + keystoneauth). */
  readonly keystone?: { readonly url: string; readonly adminPassword: string };
  /** The proxy's port, when another part must know it first (Keystone's catalog); else a free one. */
  readonly proxyPort?: number;
  /**
   * A directory kept across starts (`nnfleet up`'s DIR/swift): the objects
   * on its device survive a restart, and stop() leaves it. Absent: a temp
   * dir removed on stop.
   */
  readonly dir?: string;
}

/**
 * A private all-in-one Swift (one replica, one device) with TempAuth and
 * memcached on loopback; facts in ../shared/INFRA.md. Used by `nnfleet up
 * --block-store swift` and by the tests. The servers setsid(), so they are
 * stopped by their recorded pids, never by name; the parent-death signal
 * stops them if their starter is killed.
 */
export async function startSwiftCluster(opts: SwiftClusterOptions = {}): Promise<SwiftCluster> {
  const keep = opts.dir !== undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'nnfleet-swift-'));
  mkdirSync(dir, { recursive: true });
  const removeDir = (): void => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  const children: ChildProcess[] = [];
  let proxy: ChildProcess | undefined;
  const stopChild = async (c: ChildProcess): Promise<void> => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  try {
    const [memcachePort, freePort, accountPort, containerPort, objectPort] = await Promise.all([1, 2, 3, 4, 5].map(() => pickFreePort()));
    const proxyPort = opts.proxyPort ?? (freePort as number);
    const ports = { account: accountPort as number, container: containerPort as number, object: objectPort as number };
    for (const d of ['devices/d1', 'cache', 'log']) mkdirSync(join(dir, d), { recursive: true });
    const common = [
      'bind_ip = 127.0.0.1',
      'workers = 0',
      `swift_dir = ${dir}`,
      `devices = ${join(dir, 'devices')}`,
      'mount_check = false',
      'fallocate_reserve = 0',
      `recon_cache_path = ${join(dir, 'cache')}`,
      'log_udp_host = 127.0.0.1',
      'log_udp_port = 9',
    ].join('\n');
    for (const s of SERVERS) {
      writeFileSync(
        join(dir, `${s}-server.conf`),
        `[DEFAULT]\n${common}\nbind_port = ${ports[s]}\n\n[pipeline:main]\npipeline = ${s}-server\n\n[app:${s}-server]\nuse = egg:swift#${s}\n`,
      );
    }
    writeFileSync(
      join(dir, 'proxy-server.conf'),
      [
        `[DEFAULT]\n${common}\nbind_port = ${proxyPort}\n`,
        `[pipeline:main]\npipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats tempurl ${opts.keystone ? 'authtoken keystoneauth' : 'tempauth'} copy slo dlo versioned_writes proxy-logging proxy-server\n`,
        ...(opts.keystone
          ? [
              `[filter:authtoken]\npaste.filter_factory = keystonemiddleware.auth_token:filter_factory\nwww_authenticate_uri = ${opts.keystone.url}\nauth_url = ${opts.keystone.url}\nauth_type = password\nproject_domain_id = default\nuser_domain_id = default\nproject_name = admin\nusername = admin\npassword = ${opts.keystone.adminPassword}\ndelay_auth_decision = True\nmemcached_servers = 127.0.0.1:${memcachePort}\n`,
              '[filter:keystoneauth]\nuse = egg:swift#keystoneauth\noperator_roles = admin, member\n',
            ]
          : []),
        '[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\nallow_account_management = true\n',
        `[filter:tempauth]\nuse = egg:swift#tempauth\nuser_test_tester = testing .admin\ntoken_life = ${opts.tokenLifeSeconds ?? 86400}\n`,
        `[filter:cache]\nuse = egg:swift#memcache\nmemcache_servers = 127.0.0.1:${memcachePort}\n`,
        `[filter:slo]\nuse = egg:swift#slo\nmin_segment_size = ${opts.minSegmentSize ?? 1}\n`,
        ...['catch_errors', 'gatekeeper', 'healthcheck', 'proxy-logging', 'listing_formats', 'tempurl', 'copy', 'dlo', 'versioned_writes'].map(
          (f) => `[filter:${f}]\nuse = egg:swift#${f.replace('-', '_')}\n`,
        ),
      ].join('\n'),
    );
    await buildRings(dir, ports);
    const spawnLogged = (name: string, command: string, args: readonly string[]): ChildProcess => {
      // Files, not pipes: a pipe left open by a setsid'd server hangs its reader.
      const fd = openSync(join(dir, 'log', `${name}.log`), 'a');
      const child = spawnGuarded(command, args, { stdio: ['ignore', fd, fd] });
      closeSync(fd);
      children.push(child);
      return child;
    };
    // memcached refuses to run as root unless told which user to be.
    const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
    spawnLogged('memcached', '/usr/bin/memcached', ['-l', '127.0.0.1', '-p', String(memcachePort), '-U', '0', '-m', '16', ...asRoot]);
    for (const s of SERVERS) spawnLogged(s, `/usr/bin/swift-${s}-server`, [join(dir, `${s}-server.conf`), '-v']);
    const url = `http://127.0.0.1:${proxyPort}`;
    const startProxy = async (): Promise<void> => {
      proxy = spawnLogged('proxy', '/usr/bin/swift-proxy-server', [join(dir, 'proxy-server.conf'), '-v']);
      await waitReady(url, dir, proxy, opts.keystone);
    };
    await startProxy();
    const firstProxy = proxy;
    const exited = Promise.race(
      [...children].map((c) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => c.once('exit', (code, signal) => r({ code, signal })))),
    );
    const cluster: SwiftCluster = {
      url,
      pid: firstProxy?.pid ?? -1,
      exited,
      authUrl: `${url}/auth/v1.0`,
      user: 'test:tester',
      key: 'testing',
      dir,
      credentialsFile: () => {
        const file = join(dir, `credentials-${children.length}.json`);
        writeFileSync(file, JSON.stringify({ auth: 'tempauth', authUrl: cluster.authUrl, user: cluster.user, key: cluster.key }), { mode: 0o600 });
        return file;
      },
      swiftCli: async (args) => {
        const { stdout } = await run('/usr/bin/swift', ['-A', cluster.authUrl, '-U', cluster.user, '-K', cluster.key, ...args], { timeout: 30_000 });
        return stdout;
      },
      stopProxy: async () => {
        if (proxy) await stopChild(proxy);
      },
      startProxy,
      freezeProxy: () => proxy?.kill('SIGSTOP'),
      thawProxy: () => proxy?.kill('SIGCONT'),
      stop: async () => {
        await Promise.all(children.map(stopChild));
        removeDir();
      },
    };
    return cluster;
  } catch (err) {
    await Promise.all(children.map(stopChild));
    removeDir();
    throw err;
  }
}

/** The three rings in one python process (0.5 s, against 4 s for swift-ring-builder runs). */
async function buildRings(dir: string, ports: Record<(typeof SERVERS)[number], number>): Promise<void> {
  const script = `
import sys
from swift.common.ring import RingBuilder
d = sys.argv[1]
for name, port in zip(('account', 'container', 'object'), sys.argv[2:5]):
    b = RingBuilder(8, 1, 0)
    b.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': int(port), 'device': 'd1', 'weight': 1})
    b.rebalance()
    b.save(f'{d}/{name}.builder')
    b.get_ring().save(f'{d}/{name}.ring.gz')
`;
  await run(PYTHON, ['-c', script, dir, String(ports.account), String(ports.container), String(ports.object)], { timeout: 60_000 });
}

/** Polls until TempAuth hands out a token (memcached) and a container can be created (account and container servers). */
async function waitReady(url: string, dir: string, proxy: ChildProcess, keystone: SwiftClusterOptions['keystone']): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proxy.exitCode !== null) throw new Error(`swift proxy exited:\n${logTail(join(dir, 'log', 'proxy.log'))}`);
    try {
      const { token, storage } = keystone ? await keystoneLogin(url, keystone) : await tempAuthLogin(url);
      if (token && storage) {
        // A container PUT reaches the account and container servers too: all three answer.
        const put = await fetch(`${storage}/ready`, { method: 'PUT', headers: { 'X-Auth-Token': token }, signal: AbortSignal.timeout(5_000) });
        await put.arrayBuffer();
        if (put.status === 201 || put.status === 202) return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`swift not ready:\n${logTail(join(dir, 'log', 'proxy.log'))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function tempAuthLogin(url: string): Promise<{ token: string | null; storage: string | null }> {
  const auth = await fetch(`${url}/auth/v1.0`, { headers: { 'X-Auth-User': 'test:tester', 'X-Auth-Key': 'testing' }, signal: AbortSignal.timeout(2_000) });
  await auth.arrayBuffer();
  return auth.ok ? { token: auth.headers.get('x-auth-token'), storage: auth.headers.get('x-storage-url') } : { token: null, storage: null };
}

/** Keystone's admin token, and the admin project's account on this proxy (the catalog may not name it yet). */
async function keystoneLogin(url: string, keystone: NonNullable<SwiftClusterOptions['keystone']>): Promise<{ token: string | null; storage: string | null }> {
  const r = await fetch(`${keystone.url}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: keystone.adminPassword } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await r.json()) as { token?: { project?: { id?: string } } };
  const project = body.token?.project?.id;
  return { token: r.headers.get('x-subject-token'), storage: project ? `${url}/v1/AUTH_${project}` : null };
}
