/**
 * Calls the namenode answered, by method, from its /metrics (the
 * nnfleet_rpc_duration_seconds histogram's counts, ok and error together):
 * what the server saw, to hold against what the load generator counted.
 */
export async function serverCalls(httpPort: number): Promise<Map<string, { ok: number; error: number }>> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const out = new Map<string, { ok: number; error: number }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('nnfleet_rpc_duration_seconds_count{')) continue;
    const method = /method="([^"]+)"/.exec(line)?.[1];
    const outcome = /outcome="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!method || (outcome !== 'ok' && outcome !== 'error')) continue;
    const entry = out.get(method) ?? { ok: 0, error: 0 };
    entry[outcome] += value;
    out.set(method, entry);
  }
  return out;
}

/** after − before, per method and outcome; methods without change are left out. */
export function callDelta(
  before: Map<string, { ok: number; error: number }>,
  after: Map<string, { ok: number; error: number }>,
): Record<string, { ok: number; error: number }> {
  const out: Record<string, { ok: number; error: number }> = {};
  for (const [method, a] of after) {
    const b = before.get(method) ?? { ok: 0, error: 0 };
    const d = { ok: a.ok - b.ok, error: a.error - b.error };
    if (d.ok !== 0 || d.error !== 0) out[method] = d;
  }
  return out;
}
