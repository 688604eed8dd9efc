import { isListed, parseHostsFile } from '../../../namenode/blocks/hosts-file';

describe('hosts exclude file (HDFS HostsFileReader format)', () => {
  test('entries split on white space, # comments to the end of the line, HOST or HOST:PORT', () => {
    const entries = parseHostsFile('# header\n10.0.0.1  dn2.example:9866\t# trailing\n\n  dn3 #dn4\r\n');
    expect(entries).toEqual([
      { host: '10.0.0.1', port: 0 },
      { host: 'dn2.example', port: 9866 },
      { host: 'dn3', port: 0 },
    ]);
  });

  test('a malformed entry names its line', () => {
    expect(() => parseHostsFile('ok\nhost:notaport\n')).toThrow('line 2: "host:notaport" is neither HOST nor HOST:PORT');
    expect(() => parseHostsFile(':9866')).toThrow('line 1');
    expect(() => parseHostsFile('h:70000')).toThrow('line 1');
  });

  test('a datanode is listed by its IP address or host name, with no port or its transfer port', () => {
    const dn = { ipAddr: '10.0.0.1', hostName: 'dn1.example', xferPort: 9866 };
    expect(isListed(parseHostsFile('10.0.0.1'), dn)).toBe(true);
    expect(isListed(parseHostsFile('dn1.example:9866'), dn)).toBe(true);
    expect(isListed(parseHostsFile('10.0.0.1:9867'), dn)).toBe(false);
    expect(isListed(parseHostsFile('10.0.0.2 dn2.example'), dn)).toBe(false);
    expect(isListed([], dn)).toBe(false);
  });
});
