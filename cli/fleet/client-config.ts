import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A namenode a client may talk to directly. */
export interface ClientNamenode {
  /** Hadoop's namenode id within the nameservice, e.g. nn1. */
  readonly id: string;
  /** host:port */
  readonly rpc: string;
  readonly http: string;
}

export interface ClientConfigInput {
  /** The HA nameservice the namenodes are listed under. */
  readonly nameservice: string;
  /** haproxy's IPC frontend, host:port; absent when the fleet has none. */
  readonly balancer?: string;
  /** haproxy's HTTP frontend, host:port: where `hdfs fsck` goes when fs.defaultFS is the balancer. */
  readonly balancerHttp?: string;
  readonly namenodes: readonly ClientNamenode[];
}

export interface ConfigFile {
  readonly name: string;
  readonly content: string;
}

const FAILOVER_PROXY_PROVIDER = 'org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider';

/**
 * Hadoop client configuration for the fleet, with Hadoop's own keys:
 * - core-site.xml: fs.defaultFS at the balancer (the nameservice when there is none);
 * - hdfs-site.xml: an HA-style nameservice listing every namenode. Hadoop
 *   calls these active/standby, but every nnfleet namenode is active, so
 *   ConfiguredFailoverProxyProvider simply moves on when one fails;
 * - core-site-failover.xml: fs.defaultFS=hdfs://<nameservice>, for clients
 *   that fail over themselves instead of going through the balancer.
 */
export function renderClientConfig(input: ClientConfigInput): ConfigFile[] {
  const ns = input.nameservice;
  const viaNameservice = `hdfs://${ns}`;
  const hdfsSite: [string, string, string?][] = [
    ['dfs.nameservices', ns, 'every nnfleet namenode is active; clients may use any of them'],
    [`dfs.ha.namenodes.${ns}`, input.namenodes.map((nn) => nn.id).join(',')],
    ...input.namenodes.flatMap((nn): [string, string][] => [
      [`dfs.namenode.rpc-address.${ns}.${nn.id}`, nn.rpc],
      [`dfs.namenode.http-address.${ns}.${nn.id}`, nn.http],
    ]),
    [`dfs.client.failover.proxy.provider.${ns}`, FAILOVER_PROXY_PROVIDER],
    // DFSck finds the web port of the namenode fs.defaultFS names: for the balancer, the unsuffixed key (else 0.0.0.0:9870).
    ...(input.balancerHttp !== undefined ? [['dfs.namenode.http-address', input.balancerHttp, 'the balancer\'s web frontend (hdfs fsck)'] as [string, string, string]] : []),
  ];
  return [
    {
      name: 'core-site.xml',
      content: configuration([
        input.balancer !== undefined
          ? ['fs.defaultFS', `hdfs://${input.balancer}`, 'the fleet through haproxy']
          : ['fs.defaultFS', viaNameservice, 'no balancer known: client-side failover over the namenodes of hdfs-site.xml'],
      ]),
    },
    { name: 'hdfs-site.xml', content: configuration(hdfsSite) },
    {
      name: 'core-site-failover.xml',
      content: configuration([
        ['fs.defaultFS', viaNameservice, 'use instead of core-site.xml to fail over client-side, without the balancer'],
      ]),
    },
  ];
}

function configuration(properties: readonly (readonly [string, string, string?])[]): string {
  const body = properties.map(([name, value, description]) =>
    [
      '  <property>',
      `    <name>${escapeXml(name)}</name>`,
      `    <value>${escapeXml(value)}</value>`,
      ...(description !== undefined ? [`    <description>${escapeXml(description)}</description>`] : []),
      '  </property>',
    ].join('\n'),
  );
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<!-- Written by nnfleet client-config. -->', '<configuration>', ...body, '</configuration>', ''].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Writes the files into `dir` (created if missing); returns their paths. */
export function writeConfigFiles(dir: string, files: readonly ConfigFile[]): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.content);
    return path;
  });
}
