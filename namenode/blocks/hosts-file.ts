import type { DatanodeInfo } from '../domain/datanode-info';

/** One entry of a hosts file: a host (name or IP address), and the datanode's transfer port when given. */
export interface HostEntry {
  readonly host: string;
  /** 0: any port on that host, as HDFS's HostSet. */
  readonly port: number;
}

/**
 * HDFS's HostsFileReader: entries are separated by white space, and `#`
 * starts a comment to the end of its line. Each entry is HOST or
 * HOST:PORT; a malformed one is a line number in the thrown message.
 */
export function parseHostsFile(text: string): HostEntry[] {
  const entries: HostEntry[] = [];
  text.split('\n').forEach((line, i) => {
    for (const word of line.split(/[ \t\f\r]+/)) {
      if (word.startsWith('#')) break;
      if (word === '') continue;
      entries.push(parseEntry(word, i + 1));
    }
  });
  return entries;
}

function parseEntry(word: string, line: number): HostEntry {
  const colon = word.lastIndexOf(':');
  if (colon < 0) return { host: word, port: 0 };
  const port = Number(word.slice(colon + 1));
  if (colon === 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`line ${line}: "${word}" is neither HOST nor HOST:PORT`);
  return { host: word.slice(0, colon), port };
}

/** HostSet.match: the datanode's IP address or host name is listed, with no port or its transfer port. */
export function isListed(entries: readonly HostEntry[], d: Pick<DatanodeInfo, 'ipAddr' | 'hostName' | 'xferPort'>): boolean {
  return entries.some((e) => (e.host === d.ipAddr || e.host === d.hostName) && (e.port === 0 || e.port === d.xferPort));
}
