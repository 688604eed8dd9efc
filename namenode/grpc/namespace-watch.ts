import { setTimeout as sleep } from 'node:timers/promises';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { nnfleet } from '../../protocol/generated/nnfleet-namespace';
import { ChangeLogTrimmed, type ChangeFeed } from '../changelog/change-feed';
import { inWatchScope, parseWatchCursor, watchCursorOf } from '../domain/watch-scope';
import type { Namesystem } from '../namesystem';
import { parsePath } from '../path/hdfs-path';
import { FsAction } from '../security/permission-checker';
import type { Caller } from '../security/caller';
import { changeBatchMessage } from './namespace-messages';
import { writeMessage } from './stream-write';

type WatchCall = ServerWritableStream<nnfleet.namespace.v1.WatchRequest, nnfleet.namespace.v1.IChangeBatch>;

/** Positions read per round trip. */
const READ_POSITIONS = 256;
/** How often an idle watch looks for new commits. */
const POLL_MS = 100;
/** A watch whose path sees no change still hands out a cursor this often, so a consumer resumes near the head. */
const PROGRESS_MS = 1000;

const statusError = (code: status, details: string) => Object.assign(new Error(details), { code, details });

const send = (call: WatchCall, message: nnfleet.namespace.v1.IChangeBatch): Promise<boolean> => writeMessage(call, message);

/**
 * Watch: the committed changes under a path from a cursor, batch by batch
 * in position order (so in commit order per path), each with the cursor to
 * resume from. The caller must be allowed to list the path (READ_EXECUTE);
 * HDFS's inotify, for the whole namespace, is the superuser's.
 */
export async function runWatch(call: WatchCall, ns: Namesystem, feed: ChangeFeed, caller: Caller, logger: Logger): Promise<void> {
  const root = parsePath(call.request.path).text;
  await ns.checkAccess(caller, root, FsAction.READ_EXECUTE);
  const clocks = await feed.sequence().then(() => feed.clocks());
  let cursor = clocks.head;
  if (call.request.cursor !== '') {
    const asked = parseWatchCursor(call.request.cursor);
    if (asked === undefined || asked > clocks.head) throw statusError(status.INVALID_ARGUMENT, `not a cursor this change log handed out: ${JSON.stringify(call.request.cursor.slice(0, 40))}`);
    if (asked < clocks.trimmed) throw statusError(status.OUT_OF_RANGE, `cursor ${asked} is older than the change log keeps (trimmed up to ${clocks.trimmed})`);
    cursor = asked;
  }
  let lastSent = Date.now();
  while (!call.cancelled) {
    let read;
    try {
      read = await feed.readAfter(cursor, READ_POSITIONS);
    } catch (e) {
      if (e instanceof ChangeLogTrimmed) throw statusError(status.OUT_OF_RANGE, `the watch fell behind the change log's trimming: ${e.message}`);
      throw e;
    }
    for (const batch of read.batches) {
      const events = batch.events.filter((e) => inWatchScope(e, root));
      if (events.length === 0) continue;
      if (!(await send(call, changeBatchMessage({ position: batch.position, events }, watchCursorOf(batch.position))))) return;
      lastSent = Date.now();
    }
    const moved = read.upTo > cursor;
    cursor = read.upTo;
    if (moved && Date.now() - lastSent >= PROGRESS_MS) {
      if (!(await send(call, changeBatchMessage({ position: cursor, events: [] }, watchCursorOf(cursor))))) return;
      lastSent = Date.now();
    }
    if (read.batches.length === 0) await sleep(POLL_MS);
  }
  logger.debug({ root, cursor }, 'watch ended by the client');
}
