import { parseDefine } from '../../cli/config-overrides';

test('-D takes namesystem settings by name and Hadoop proxyuser keys', () => {
  let c = parseDefine('leaseHardLimitMs=2000');
  c = parseDefine('hadoop.proxyuser.knox.hosts=127.0.0.1,10.0.0.0/8', c);
  c = parseDefine('hadoop.proxyuser.knox.groups=staff', c);
  c = parseDefine('hadoop.proxyuser.oozie.users=*', c);
  expect(c).toEqual({ leaseHardLimitMs: 2000, proxyUsers: { knox: { hosts: '127.0.0.1,10.0.0.0/8', groups: 'staff' }, oozie: { users: '*' } } });
});

test('-D refuses unknown keys, structured settings by name, and bad numbers', () => {
  expect(() => parseDefine('noSuchSetting=1')).toThrow(/unknown setting/);
  expect(() => parseDefine('proxyUsers=x')).toThrow(/unknown setting/);
  expect(() => parseDefine('hadoop.proxyuser.knox.ips=1')).toThrow(/unknown setting/);
  expect(() => parseDefine('leaseHardLimitMs=-1')).toThrow(/non-negative/);
});
