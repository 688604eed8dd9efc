import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderClientConfig, writeConfigFiles } from '../../cli/fleet/client-config';
import { xpathValues } from './fleet-output';

describe('client configuration files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nncc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const namenodes = [
    { id: 'nn1', rpc: '127.0.0.1:8121', http: '127.0.0.1:9971' },
    { id: 'nn7', rpc: '10.0.0.2:8020', http: '10.0.0.2:9870' },
  ];

  it('lists every namenode under an HA nameservice with Hadoop keys, and points fs.defaultFS at the balancer', async () => {
    writeConfigFiles(dir, renderClientConfig({ nameservice: 'ns<&>', balancer: '127.0.0.1:8020', namenodes }));
    const hdfsSite = join(dir, 'hdfs-site.xml');
    const value = async (file: string, key: string): Promise<string[]> => xpathValues(file, `//property[name='${key}']/value`);
    expect(await value(join(dir, 'core-site.xml'), 'fs.defaultFS')).toEqual(['hdfs://127.0.0.1:8020']);
    // Escaped, so the files stay well-formed whatever the name (xmllint prints text escaped again).
    expect(await value(hdfsSite, 'dfs.nameservices')).toEqual(['ns&lt;&amp;&gt;']);
    expect(await value(hdfsSite, 'dfs.ha.namenodes.ns<&>')).toEqual(['nn1,nn7']);
    expect(await value(hdfsSite, 'dfs.namenode.rpc-address.ns<&>.nn7')).toEqual(['10.0.0.2:8020']);
    expect(await value(hdfsSite, 'dfs.namenode.http-address.ns<&>.nn1')).toEqual(['127.0.0.1:9971']);
    expect(await value(join(dir, 'core-site-failover.xml'), 'fs.defaultFS')).toEqual(['hdfs://ns&lt;&amp;&gt;']);
  });

  it('fails over client-side when no balancer is known', async () => {
    writeConfigFiles(dir, renderClientConfig({ nameservice: 'nnfleet', namenodes }));
    expect(await xpathValues(join(dir, 'core-site.xml'), "//property[name='fs.defaultFS']/value")).toEqual(['hdfs://nnfleet']);
  });
});
