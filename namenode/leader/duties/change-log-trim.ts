import type { ChangeFeed } from '../../changelog/change-feed';
import type { NamesystemConfig } from '../../namesystem-config';

/**
 * Orders what has committed (so the fleet's txid moves on without a
 * reader), then trims the change log: positions older than the retention
 * and beyond the newest `changeLogMaxPositions` go. Answers the rows removed.
 */
export async function trimChangeLog(feed: ChangeFeed, config: NamesystemConfig, now: number): Promise<number> {
  await feed.sequence();
  const { head, trimmed } = await feed.clocks();
  const byAge = (await feed.lastPositionBefore(now - config.changeLogRetentionMs)) ?? 0;
  const bySize = head - config.changeLogMaxPositions;
  const upTo = Math.min(head, Math.max(byAge, bySize));
  return upTo > trimmed ? feed.trimUpTo(upTo) : 0;
}
