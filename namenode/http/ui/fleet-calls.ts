import type { CallTotal } from '../metrics';
import type { FleetView } from './fleet-view';
import { fetchPeer } from './peer-fetch';

/** One namenode's call counters as of `at`, or why they could not be read. */
export interface NamenodeCalls {
  readonly id: number;
  readonly httpAddress: string;
  readonly calls?: readonly CallTotal[];
  readonly error?: string;
}

/** More series than any namenode has methods × outcomes: a peer answering more is not one of ours. */
const MAX_SERIES = 2000;

/**
 * The call counters of every live namenode of the fleet (this one's from
 * memory, the others' from their /ui/api/calls), so a browser polling any
 * namenode, even through the balancer, sees the whole fleet's rates.
 */
export async function fleetCalls(view: FleetView, own: () => Promise<CallTotal[]>, timeoutMs: number): Promise<NamenodeCalls[]> {
  const self = view.self().id;
  const members = await view.members();
  return Promise.all(
    members.map(async (m): Promise<NamenodeCalls> => {
      const base = { id: m.id, httpAddress: m.httpAddress };
      try {
        if (m.id === self) return { ...base, calls: await own() };
        const answer = await fetchPeer(m.httpAddress, '/ui/api/calls', timeoutMs);
        if (answer.status !== 200) return { ...base, error: `HTTP ${answer.status}` };
        return { ...base, calls: parseCalls(answer.body) };
      } catch (err) {
        return { ...base, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

function parseCalls(body: string): CallTotal[] {
  const parsed = JSON.parse(body) as { calls?: unknown };
  if (!Array.isArray(parsed.calls) || parsed.calls.length > MAX_SERIES) throw new Error('not a call counter answer');
  return parsed.calls.map((c: unknown) => {
    const { method, outcome, count, seconds } = (c ?? {}) as Record<string, unknown>;
    if (typeof method !== 'string' || typeof outcome !== 'string' || typeof count !== 'number' || typeof seconds !== 'number') throw new Error('not a call counter answer');
    return { method, outcome, count, seconds };
  });
}
