import type { HttpRoute } from '../http-route';
import { sendJson } from '../webhdfs/remote-exception';
import type { FleetView } from './fleet-view';
import { namenodeBeans, type JmxBean } from './jmx-beans';
import { MalformedObjectName, matchesObjectName, parseObjectNamePattern } from './jmx-object-name';
import { BadUiRequest, checkedParams } from './query-params';

/**
 * GET /jmx, as Hadoop's JMXJsonServlet: `{"beans": [...]}` of every bean
 * `qry` matches (all by default), or with `get=BEAN::ATTRIBUTE` that one
 * attribute (404 when the bean lacks it); a malformed name or query is a
 * 400 with the reason.
 */
export function jmxRoute(view: FleetView, httpAddress: () => string): HttpRoute {
  return {
    method: 'GET',
    path: '/jmx',
    async handle(_req, res, url) {
      let answer: { status: number; body: unknown };
      try {
        answer = await query(view, httpAddress(), checkedParams(url, ['qry', 'get']));
      } catch (err) {
        if (!(err instanceof MalformedObjectName) && !(err instanceof BadUiRequest)) throw err;
        answer = { status: 400, body: { result: 'ERROR', message: err.message } };
      }
      res.setHeader('Access-Control-Allow-Methods', 'GET');
      res.setHeader('Access-Control-Allow-Origin', '*');
      sendJson(res, answer.status, answer.body);
    },
  };
}

async function query(view: FleetView, httpAddress: string, params: ReadonlyMap<string, string>): Promise<{ status: number; body: unknown }> {
  const get = params.get('get');
  if (get !== undefined) {
    const parts = get.split('::');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return { status: 400, body: { result: 'ERROR', message: 'query format is not as expected.' } };
    const [name, attribute] = parts as [string, string];
    const beans = await matching(view, httpAddress, name);
    const missing = beans.find((b) => !(attribute in b.attributes));
    if (missing) {
      return { status: 404, body: { beans: [{ name: missing.name, modelerType: missing.modelerType, result: 'ERROR', message: `No attribute with name ${attribute} was found.` }] } };
    }
    return { status: 200, body: { beans: beans.map((b) => ({ name: b.name, modelerType: b.modelerType, [attribute]: b.attributes[attribute] })) } };
  }
  const beans = await matching(view, httpAddress, params.get('qry') ?? '*:*');
  return { status: 200, body: { beans: beans.map((b) => ({ name: b.name, modelerType: b.modelerType, ...b.attributes })) } };
}

async function matching(view: FleetView, httpAddress: string, name: string): Promise<JmxBean[]> {
  const pattern = parseObjectNamePattern(name);
  return (await namenodeBeans(view, httpAddress)).filter((b) => matchesObjectName(pattern, b.name));
}
