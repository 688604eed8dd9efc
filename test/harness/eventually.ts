/**
 * Synchronisation by polling with a deadline: the tests' replacement for
 * sleeps. A timeout is a failure naming what was awaited, never a pass.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined, and returns that. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Polls `probe` until it is true. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000, intervalMs = 20): Promise<void> {
  await eventually(what, async () => ((await probe()) ? true : undefined), timeoutMs, intervalMs);
}
