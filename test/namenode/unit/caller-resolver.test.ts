import { isNamesystemError } from '../../../namenode/errors';
import { CallerResolver } from '../../../namenode/security/caller-resolver';
import { GroupMapping } from '../../../namenode/security/group-mapping';

const rules = {
  // knox may act for anyone in staff, from loopback only.
  knox: { hosts: '127.0.0.0/8', groups: 'staff' },
  // oozie may act for bob and the superuser, from anywhere.
  oozie: { hosts: '*', users: 'bob,hdfs' },
  // a rule without hosts allows no address.
  nohosts: { users: '*' },
};
const resolver = new CallerResolver(new GroupMapping('hdfs=hadoop;alice=staff;bob=staff;carol=supergroup;knox=proxies;oozie=proxies'), { superuser: 'hdfs', supergroup: 'supergroup' }, rules);

const denied = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    expect(isNamesystemError(e, 'AccessDenied')).toBe(true);
    return e as Error;
  }
  throw new Error('expected AccessDenied');
};

test('a plain call is the user with its groups', () => {
  expect(resolver.resolve({ user: 'alice' })).toEqual({ user: 'alice', groups: ['staff'], isSuperuser: false });
  expect(resolver.resolve({ user: 'hdfs' }).isSuperuser).toBe(true);
  expect(resolver.resolve({ user: 'carol' }).isSuperuser).toBe(true);
});

test('a realUser equal to the user, or empty, is no impersonation', () => {
  expect(resolver.resolve({ user: 'alice', realUser: 'alice' }).user).toBe('alice');
  expect(resolver.resolve({ user: 'alice', realUser: '' }).user).toBe('alice');
});

test('a proxy user acts for the users and groups its rule lists, from its hosts', () => {
  expect(resolver.resolve({ user: 'alice', realUser: 'knox', remoteAddress: '127.0.0.1' })).toEqual({ user: 'alice', groups: ['staff'], isSuperuser: false });
  expect(resolver.resolve({ user: 'bob', realUser: 'knox', remoteAddress: '::ffff:127.3.2.1' }).user).toBe('bob');
  expect(resolver.resolve({ user: 'bob', realUser: 'oozie', remoteAddress: '10.1.2.3' }).user).toBe('bob');
  expect(resolver.resolve({ user: 'hdfs', realUser: 'oozie', remoteAddress: '10.1.2.3' }).isSuperuser).toBe(true);
});

test('no rule, no impersonation: not even the superuser or a supergroup member', () => {
  expect(denied(() => resolver.resolve({ user: 'alice', realUser: 'hdfs', remoteAddress: '127.0.0.1' })).message).toBe('User: hdfs is not allowed to impersonate alice');
  expect(denied(() => resolver.resolve({ user: 'alice', realUser: 'carol', remoteAddress: '127.0.0.1' })).message).toBe('User: carol is not allowed to impersonate alice');
  expect(denied(() => resolver.resolve({ user: 'alice', realUser: 'bob', remoteAddress: '127.0.0.1' })).message).toBe('User: bob is not allowed to impersonate alice');
});

test('outside its users and groups, or from another host, a proxy user is refused', () => {
  expect(denied(() => resolver.resolve({ user: 'hdfs', realUser: 'knox', remoteAddress: '127.0.0.1' })).message).toBe('User: knox is not allowed to impersonate hdfs');
  expect(denied(() => resolver.resolve({ user: 'alice', realUser: 'oozie', remoteAddress: '127.0.0.1' })).message).toBe('User: oozie is not allowed to impersonate alice');
  expect(denied(() => resolver.resolve({ user: 'alice', realUser: 'knox', remoteAddress: '10.0.0.1' })).message).toBe('Unauthorized connection for super-user: knox from IP 10.0.0.1');
  expect(denied(() => resolver.resolve({ user: 'alice', realUser: 'nohosts', remoteAddress: '127.0.0.1' })).message).toBe('Unauthorized connection for super-user: nohosts from IP 127.0.0.1');
});
