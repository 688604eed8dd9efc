import { isNamesystemError } from '../../../namenode/errors';
import { CallerResolver } from '../../../namenode/security/caller-resolver';
import { GroupMapping } from '../../../namenode/security/group-mapping';

const resolver = new CallerResolver(new GroupMapping('hdfs=hadoop;alice=staff;bob=staff;carol=supergroup;knox=proxies'), { superuser: 'hdfs', supergroup: 'supergroup' }, ['knox']);

const denied = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
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

test('the superuser, a supergroup member and a proxy user may act for another user', () => {
  for (const real of ['hdfs', 'carol', 'knox']) {
    expect(resolver.resolve({ user: 'alice', realUser: real })).toEqual({ user: 'alice', groups: ['staff'], isSuperuser: false });
  }
});

test('anyone else is denied', () => {
  const e = denied(() => resolver.resolve({ user: 'alice', realUser: 'bob' }));
  expect(isNamesystemError(e, 'AccessDenied')).toBe(true);
  expect((e as Error).message).toBe('User: bob is not allowed to impersonate alice');
});
