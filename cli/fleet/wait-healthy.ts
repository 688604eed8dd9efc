import type { ExitStatus } from './fleet-member';
import { describeExit } from './fleet-member';

const POLL_MS = 100;

/**
 * Polls a namenode's /healthz until it answers 200: listening is not enough,
 * it must also reach its database. Fails fast if the process dies meanwhile.
 */
export async function waitHealthy(url: string, exited: Promise<ExitStatus>, timeoutMs: number): Promise<void> {
  let gone: ExitStatus | undefined;
  void exited.then((s) => (gone = s));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (gone) throw new Error(`exited before it was healthy (${describeExit(gone)})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
      last = `${res.status} ${(await res.text()).trim()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
