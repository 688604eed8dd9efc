import { MalformedObjectName, matchesObjectName, parseObjectNamePattern } from '../../../namenode/http/ui/jmx-object-name';

const INFO = 'Hadoop:service=NameNode,name=NameNodeInfo';

describe('JMX ObjectName patterns as /jmx?qry= takes them', () => {
  it.each([
    ['*:*', INFO, true],
    [INFO, INFO, true],
    ['Hadoop:name=NameNodeInfo,service=NameNode', INFO, true],
    ['Hadoop:service=NameNode', INFO, false],
    ['Hadoop:service=NameNode,*', INFO, true],
    ['Hadoop:service=Name*,name=*Info', INFO, true],
    ['Hadoop:service=NameNod?,name=NameNodeInfo', INFO, true],
    ['Had*:*', INFO, true],
    ['java.lang:*', INFO, false],
    ['Hadoop:service=DataNode,*', INFO, false],
    ['Hadoop:service=NameNode.,*', 'Hadoop:service=NameNodeX,name=a', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchesObjectName(parseObjectNamePattern(pattern), name)).toBe(expected);
  });

  it.each(['no-colon', 'Hadoop:', 'Hadoop:service', 'Hadoop:=x', 'Hadoop:a=1,a=2', 'Hadoop:*,*', 'Hadoop:a*=1', 'x'.repeat(1025)])('%s is malformed', (text) => {
    expect(() => parseObjectNamePattern(text)).toThrow(MalformedObjectName);
  });
});
