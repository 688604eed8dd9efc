import { parseMysqlUrl } from '../../schema/mysql-config';

describe('parseMysqlUrl', () => {
  it('parses a full URL', () => {
    expect(parseMysqlUrl('mysql://nn:s3cret@db.example:3307/nnfleet')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'nn',
      password: 's3cret',
      database: 'nnfleet',
    });
  });

  it('defaults the port, decodes user and password, reads a socket', () => {
    expect(parseMysqlUrl('mysql://a%40b:p%2Fw%3A@localhost/ns?socket=/tmp/m.sock')).toEqual({
      host: 'localhost',
      port: 3306,
      user: 'a@b',
      password: 'p/w:',
      database: 'ns',
      socketPath: '/tmp/m.sock',
    });
  });

  it('accepts an IPv6 literal and an empty password', () => {
    expect(parseMysqlUrl('mysql://root@[::1]:3306/x')).toMatchObject({ host: '::1', password: '' });
  });

  it.each([
    ['not a url', /expected mysql:\/\/user:pass@host:port\/database/],
    ['postgres://u:p@h/db', /scheme must be mysql:\/\//],
    ['mysql://u:p@h:3306', /exactly one database name/],
    ['mysql://u:p@h:3306/', /exactly one database name/],
    ['mysql://u:p@h/a/b', /exactly one database name/],
    ['mysql://h/db', /no user/],
    ['mysql://u:p@h:0/db', /bad port/],
  ])('rejects %s', (url, message) => {
    expect(() => parseMysqlUrl(url)).toThrow(message);
  });

  it('never echoes the password in errors', () => {
    expect(() => parseMysqlUrl('mysql://u:hunter2@h:3306/')).toThrow(/^(?!.*hunter2)/s);
  });
});
