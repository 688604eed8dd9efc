/** Answers larger than this from a peer namenode are cut off and count as a failure. */
const MAX_PEER_ANSWER_BYTES = 1 << 20;

export interface PeerAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * GET on another namenode of the fleet (its address from the namenodes
 * table), with a deadline and a bounded read: a stuck or babbling peer
 * costs the web UI at most `timeoutMs` and a megabyte, never a hang.
 */
export async function fetchPeer(httpAddress: string, path: string, timeoutMs: number): Promise<PeerAnswer> {
  const signal = AbortSignal.timeout(timeoutMs);
  const res = await fetch(`http://${httpAddress}${path}`, { signal, redirect: 'manual' });
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > MAX_PEER_ANSWER_BYTES) {
      await reader?.cancel();
      throw new Error(`answer from ${httpAddress}${path} is larger than ${MAX_PEER_ANSWER_BYTES} bytes`);
    }
    chunks.push(next.value);
  }
  return { status: res.status, body: Buffer.concat(chunks).toString('utf8') };
}
