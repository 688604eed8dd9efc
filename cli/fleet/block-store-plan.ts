import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSwiftCluster } from '../local/swift-server';
import type { FleetMember } from './fleet-member';

/** Where `nnfleet up`'s datanodes keep replicas. */
export type UpBlockStore =
  | { readonly kind: 'local' }
  | {
      readonly kind: 'swift';
      readonly container: string;
      /** An existing Swift: its credentials file (mode 0600) and optionally its auth URL; absent: a private Swift under DIR/swift. */
      readonly external?: { readonly credentialsFile: string; readonly authUrl?: string };
    };

export interface PreparedBlockStore {
  /** `nnfleet datanode` flags for every datanode. */
  readonly datanodeArgs: readonly string[];
  /** `nnfleet namenode` flags for every namenode (the leader's orphan sweep of the container). */
  readonly namenodeArgs: readonly string[];
  /** The private Swift, for the supervisor; absent for local disk or an existing Swift. */
  readonly member?: FleetMember;
  /** The status line, absent for local disk. */
  readonly line?: string;
}

/**
 * Readies the block store before the datanodes start: for Swift without an
 * existing one, a private all-in-one Swift (TempAuth, memcached) on
 * loopback whose objects live in DIR/swift across restarts, and a
 * credentials file for it — secrets go in files, never in `ps`.
 */
export async function prepareBlockStore(store: UpBlockStore, dataDir: string): Promise<PreparedBlockStore> {
  if (store.kind === 'local') return { datanodeArgs: [], namenodeArgs: [] };
  if (store.external !== undefined) {
    const { credentialsFile, authUrl } = store.external;
    const access = [`--swift-container=${store.container}`, `--swift-credentials=${credentialsFile}`, ...(authUrl !== undefined ? [`--swift-auth-url=${authUrl}`] : [])];
    return {
      datanodeArgs: ['--block-store=swift', ...access],
      namenodeArgs: access,
      line: `swift external ${authUrl ?? '(auth URL from the credentials)'} container=${store.container} credentials=${credentialsFile}`,
    };
  }
  const swift = await startSwiftCluster({ dir: join(dataDir, 'swift') });
  const credentialsFile = join(swift.dir, 'credentials.json');
  writeFileSync(credentialsFile, JSON.stringify({ auth: 'tempauth', authUrl: swift.authUrl, user: swift.user, key: swift.key }), { mode: 0o600 });
  const access = [`--swift-container=${store.container}`, `--swift-credentials=${credentialsFile}`];
  return {
    datanodeArgs: ['--block-store=swift', ...access],
    namenodeArgs: access,
    member: { name: 'swift', pid: swift.pid, exited: swift.exited, logPath: join(swift.dir, 'log', 'proxy.log'), stop: () => swift.stop() },
    line: `swift ready ${swift.url} pid=${swift.pid} auth=${swift.authUrl} container=${store.container} credentials=${credentialsFile} dir=${swift.dir}`,
  };
}
