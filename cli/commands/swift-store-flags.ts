import type { Command } from 'commander';
import type { Logger } from 'pino';
import { DELETE_QUEUE_DEFAULTS } from '../../datanode/store/swift-delete-queue';
import type { SwiftSettings } from '../../datanode/store/open-block-store';
import { SWIFT_DEFAULTS } from '../../datanode/store/swift-block-store';
import { loadSwiftCredentials, SWIFT_ENV } from '../../datanode/store/swift-credentials';
import { parseNonNegativeInt, parsePositiveInt } from '../options';

/** `nnfleet datanode`'s flags for `--block-store swift`. No secret is ever a flag: `ps` would show it. */
export interface SwiftStoreFlags {
  swiftCredentials?: string;
  swiftAuthUrl?: string;
  swiftContainer: string;
  swiftMaxObjectBytes: number;
  swiftReadCacheBytes: number;
  swiftTimeoutMs: number;
  swiftDeletesPerSecond: number;
}

export function addSwiftStoreFlags(cmd: Command): Command {
  return cmd
    .option('--swift-credentials <file>', `JSON file (mode 0600): {"auth":"tempauth","authUrl","user","key"} or {"auth":"keystone-v3-password","authUrl","user","password","project","userDomain","projectDomain","region"} or {"auth":"keystone-v3-application-credential","authUrl","applicationCredentialId"|"applicationCredentialName"+"user"+"userDomain","applicationCredentialSecret","region"}; without it ${Object.values(SWIFT_ENV).join(', ')} (TempAuth)`)
    .option('--swift-auth-url <url>', "Swift's auth endpoint (TempAuth: http://HOST:PORT/auth/v1.0), overriding the credentials' authUrl")
    .option('--swift-container <name>', 'container holding the block objects (created if missing)', 'nnfleet-blocks')
    .option('--swift-max-object-bytes <n>', "Swift's single-object limit: larger blocks become Static Large Objects", parsePositiveInt, SWIFT_DEFAULTS.maxObjectBytes)
    .option('--swift-read-cache-bytes <n>', 'bounded in-memory read cache (0: none)', parseNonNegativeInt, SWIFT_DEFAULTS.readCacheBytes)
    .option('--swift-timeout-ms <ms>', 'a Swift request with no progress for this long fails', parsePositiveInt, SWIFT_DEFAULTS.idleTimeoutMs)
    .option('--swift-deletes-per-second <n>', 'at most this many object deletions a second (queued, retried)', parsePositiveInt, DELETE_QUEUE_DEFAULTS.perSecond);
}

/** The Swift store's settings from the flags (credentials read from the file or the environment). */
export function swiftSettings(flags: SwiftStoreFlags, logger: Logger): SwiftSettings {
  const credentials = loadSwiftCredentials(flags.swiftCredentials);
  return {
    credentials: flags.swiftAuthUrl !== undefined ? { ...credentials, authUrl: flags.swiftAuthUrl } : credentials,
    container: flags.swiftContainer,
    maxObjectBytes: flags.swiftMaxObjectBytes,
    readCacheBytes: flags.swiftReadCacheBytes,
    idleTimeoutMs: flags.swiftTimeoutMs,
    deletes: {
      perSecond: flags.swiftDeletesPerSecond,
      onRetry: (object, attempt, err) => logger.warn({ err, object, attempt }, 'swift delete failed; retrying'),
      onGiveUp: (object, err) => logger.warn({ err, object }, 'swift delete abandoned; the orphan sweep removes the object'),
    },
  };
}
