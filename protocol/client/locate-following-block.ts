import { RemoteError } from '../ipc/ipc-errors';
import type { DatanodeInfo, ExtendedBlock, LocatedBlock, NamenodeClient } from './namenode-client';
import { NotReplicatedError } from './data-errors';

/**
 * The Java client's patience while the previous block's replicas are being
 * reported: dfs.client.block.write.locateFollowingBlock.retries (5) and
 * .initial.delay.ms (400), the delay doubling each time. It applies to
 * addBlock answering NotReplicatedYetException and to complete answering
 * false.
 */
export const LOCATE_FOLLOWING_BLOCK: { readonly retries: number; readonly initialDelayMs: number } = { retries: 5, initialDelayMs: 400 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function isNotReplicatedYet(err: unknown): boolean {
  return err instanceof RemoteError && err.className.endsWith('NotReplicatedYetException');
}

/** addBlock, retried with backoff while the namenode says the previous block is not replicated yet. */
export async function addBlockWithBackoff(
  client: NamenodeClient,
  path: string,
  previous: ExtendedBlock | undefined,
  exclude: readonly DatanodeInfo[],
): Promise<LocatedBlock> {
  let delay = LOCATE_FOLLOWING_BLOCK.initialDelayMs;
  for (let retries = LOCATE_FOLLOWING_BLOCK.retries; ; retries--) {
    try {
      return await client.addBlock(path, previous, exclude);
    } catch (err) {
      if (!isNotReplicatedYet(err) || retries === 0) throw err;
    }
    await sleep(delay);
    delay *= 2;
  }
}

/** complete, retried with backoff while it answers false, as DFSOutputStream.completeFile does. */
export async function completeWithBackoff(client: NamenodeClient, path: string, last: ExtendedBlock | undefined): Promise<void> {
  let delay = LOCATE_FOLLOWING_BLOCK.initialDelayMs;
  for (let retries = LOCATE_FOLLOWING_BLOCK.retries; ; retries--) {
    if (await client.complete(path, last)) return;
    if (retries === 0) {
      throw new NotReplicatedError(`unable to close ${path}: its last block does not have enough replicas`);
    }
    await sleep(delay);
    delay *= 2;
  }
}
