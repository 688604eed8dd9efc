import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { makeCaller } from '../../namenode/security/caller';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

jest.setTimeout(60_000);

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

describe('the web UI and /jmx over HTTP, including hostile requests', () => {
  let fx: NamenodeFixture;
  let base: string;
  const peers: Server[] = [];
  const get = async (path: string, init?: RequestInit): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const json = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const a = await get(path);
    return { status: a.status, body: JSON.parse(a.text) as Record<string, unknown> };
  };
  const healthy = async () => expect((await get('/healthz')).status).toBe(200);

  beforeAll(async () => {
    fx = await namenodeFixture('webui_http');
    base = `http://127.0.0.1:${fx.namenode.httpPort}`;
  });

  afterAll(async () => {
    for (const p of peers) p.closeAllConnections();
    await Promise.all(peers.map((p) => new Promise((done) => p.close(done))));
    await fx?.close();
  });

  it('serves the page, its files and the overview of the namespace', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.text).toContain('<script type="module" src="/ui/app.js">');
    expect((await get('/dfshealth.html')).text).toBe(page.text);
    expect((await get('/ui/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    const ns = fx.namenode.namesystem;
    await ns.mkdirs(makeCaller(fx.superuser, [], ns.config), '/a/b', 0o755, true);
    const { status, body } = await json('/ui/api/overview');
    expect(status).toBe(200);
    const identity = await fx.namenode.namesystem.namespace();
    expect(body['clusterId']).toBe(identity.clusterId);
    expect(body['totals']).toEqual({ files: 0, directories: 3, symlinks: 0, blocks: 0 });
    const namenodes = body['namenodes'] as { id: number; leader: boolean; self: boolean; healthy: boolean }[];
    expect(namenodes).toEqual([expect.objectContaining({ id: fx.namenode.election.id, leader: true, self: true, healthy: true })]);
  });

  it('answers /jmx as JMXJsonServlet: every bean, a qry pattern, one attribute with get', async () => {
    const all = await json('/jmx');
    const names = (all.body['beans'] as { name: string }[]).map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(['Hadoop:service=NameNode,name=NameNodeInfo', 'Hadoop:service=NameNode,name=FSNamesystemState', 'java.lang:type=Runtime']));

    const info = await json('/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo');
    const beans = info.body['beans'] as Record<string, unknown>[];
    expect(beans).toHaveLength(1);
    expect(beans[0]?.['ClusterId']).toBe((await fx.namenode.namesystem.namespace()).clusterId);
    expect(JSON.parse(String(beans[0]?.['LiveNodes']))).toEqual({});

    const wild = await json('/jmx?qry=Hadoop:service=NameNode,*');
    expect((wild.body['beans'] as { name: string }[]).every((b) => b.name.startsWith('Hadoop:service=NameNode,'))).toBe(true);
    expect(await json('/jmx?qry=Hadoop:service=DataNode,*')).toEqual({ status: 200, body: { beans: [] } });

    const one = await json('/jmx?get=Hadoop:service=NameNode,name=FSNamesystemState::FSState');
    expect(one).toEqual({ status: 200, body: { beans: [{ name: 'Hadoop:service=NameNode,name=FSNamesystemState', modelerType: expect.any(String), FSState: 'Operational' }] } });
    const missing = await json('/jmx?get=Hadoop:service=NameNode,name=FSNamesystemState::NoSuchThing');
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).toContain('No attribute with name NoSuchThing was found.');
  });

  it.each([
    ['/jmx?qry=no-colon', 400, 'Domain part must be specified'],
    ['/jmx?qry=Hadoop:', 400, 'Key properties cannot be empty'],
    ['/jmx?qry=Hadoop:service', 400, 'Unterminated key property part'],
    ['/jmx?qry=Hadoop:a=1,a=2', 400, 'already defined'],
    ['/jmx?get=no-separator', 400, 'query format is not as expected.'],
    ['/jmx?qry=*:*&qry=*:*', 400, "parameter 'qry' given more than once"],
    ['/jmx?callback=alert', 400, "unknown parameter 'callback'"],
    ['/ui/api/overview?x=1', 400, "unknown parameter 'x'"],
    ['/ui/api/nope', 404, 'no such resource'],
    ['/ui/api/', 404, 'no such resource'],
    ['/ui/api/__proto__', 404, 'no such resource'],
    ['/ui/..%2f..%2fpackage.json', 404, 'no such file'],
    // fetch resolves the dots itself: what arrives is /etc/passwd, which no route serves.
    ['/ui/%2e%2e/%2e%2e/etc/passwd', 404, 'no such resource'],
    ['/ui/index.html%00.js', 404, 'no such file'],
  ])('GET %s answers %i saying why, and the server carries on', async (path, status, message) => {
    const a = await get(path);
    expect(a.status).toBe(status);
    expect(a.text).toContain(message);
    await healthy();
  });

  it('refuses an ObjectName of 2,000 characters (400)', async () => {
    const a = await get(`/jmx?qry=${'x'.repeat(2000)}`);
    expect([a.status, a.text]).toEqual([400, expect.stringContaining("parameter 'qry' is longer than 1024 characters")]);
  });

  it('refuses other methods on the UI (405) and survives a huge URL and a garbage request line', async () => {
    expect((await get('/ui/api/overview', { method: 'POST' })).status).toBe(405);
    expect((await get('/jmx', { method: 'DELETE' })).status).toBe(405);
    expect(await rawStatus(`GET /jmx?qry=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)).toBe(431);
    expect(await rawStatus('GARBAGE\r\n\r\n')).toBe(400);
    await healthy();
  });

  it('reads other namenodes with a deadline and a bounded answer: a babbling or silent peer shows unhealthy, the page still answers', async () => {
    const babbler = await peer((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(5 << 20, 'x'));
    });
    const silent = await peer(() => undefined);
    const ns = fx.namenode.namesystem;
    const beat = (id: number, addr: string) => ns.db.run(ns.context.dal.namenodes.heartbeat(id, '127.0.0.1:1', addr, 60_000, 60_000));
    await beat(1_000_001, babbler);
    await beat(1_000_002, silent);

    const started = Date.now();
    const { status, body } = await json('/ui/api/namenodes');
    process.stderr.write(`namenodes with a babbling and a silent peer answered in ${Date.now() - started} ms\n`);
    expect(status).toBe(200);
    const byId = new Map((body as unknown as { id: number; healthy: boolean; health: string }[]).map((n) => [n.id, n]));
    expect(byId.get(fx.namenode.election.id)?.healthy).toBe(true);
    expect(byId.get(1_000_001)).toEqual(expect.objectContaining({ healthy: false, health: expect.stringContaining('larger than 1048576 bytes') }));
    expect(byId.get(1_000_002)).toEqual(expect.objectContaining({ healthy: false, health: expect.stringContaining('unreachable') }));

    const calls = await json('/ui/api/fleet-calls');
    const peersCalls = (calls.body['namenodes'] as { id: number; calls?: unknown[]; error?: string }[]).filter((n) => n.id >= 1_000_001);
    expect(peersCalls.map((n) => [n.id, n.calls, typeof n.error])).toEqual([
      [1_000_001, undefined, 'string'],
      [1_000_002, undefined, 'string'],
    ]);
    await ns.db.mutate([1_000_001, 1_000_002].map((id) => ns.context.dal.namenodes.deleteByPk(id)));
    await healthy();
  });

  async function peer(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    peers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function rawStatus(text: string): Promise<number> {
    return new Promise((done, fail) => {
      const socket = connect(fx.namenode.httpPort, '127.0.0.1', () => socket.end(text));
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
      socket.on('error', fail);
      socket.on('close', () => done(Number(answer.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? 0)));
    });
  }
});
