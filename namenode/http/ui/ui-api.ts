import type { CallTotal } from '../metrics';
import { fleetCalls } from './fleet-calls';
import type { FleetView } from './fleet-view';
import { BadUiRequest, checkedParams } from './query-params';

export const UI_API_PREFIX = '/ui/api/';

/** The JSON the web UI's pages poll, one resource per page; none takes parameters. */
export function uiApiResources(view: FleetView, calls: () => Promise<CallTotal[]>, peerTimeoutMs: number): Readonly<Record<string, () => Promise<unknown>>> {
  return {
    overview: () => view.overview(),
    datanodes: () => view.datanodes(),
    namenodes: () => view.namenodes(),
    calls: async () => ({ id: view.self().id, at: Date.now(), calls: await calls() }),
    'fleet-calls': async () => ({ at: Date.now(), namenodes: await fleetCalls(view, calls, peerTimeoutMs) }),
  };
}

/** The resource a /ui/api/ URL names; BadUiRequest for parameters, undefined for an unknown name. */
export function uiApiResource(resources: Readonly<Record<string, () => Promise<unknown>>>, url: URL): (() => Promise<unknown>) | undefined {
  const name = url.pathname.slice(UI_API_PREFIX.length);
  if (!Object.hasOwn(resources, name)) return undefined;
  checkedParams(url, []);
  if (name.length === 0) throw new BadUiRequest('no resource named');
  return resources[name];
}
