import { createTestDatabase, type TestDatabase } from '../harness/test-database';
import { formatMysqlUrl } from '../../cli/fleet/mysql-url';
import { parseMysqlUrl } from '../../schema/mysql-config';
import { runCli } from './cli-process';

describe('nnfleet format --mysql', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_format', { format: false });
  });
  afterAll(() => db.drop());

  async function format(...args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const cli = runCli(['format', '--mysql', formatMysqlUrl(db.config), ...args]);
    const code = await cli.exited;
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  }

  it('creates a namespace, then finds it, then refuses another cluster id', async () => {
    const created = await format('--cluster-id', 'CID-one');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^namespace created cluster=CID-one namespaceId=\d+ .*migrations=1/);

    const again = await format();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^namespace found cluster=CID-one /);

    const other = await format('--cluster-id', 'CID-two');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/holds cluster CID-one, not the requested CID-two; refusing/);
  });

  it('rejects --data-dir together with --mysql', async () => {
    const both = await format('--data-dir', '/tmp/x');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/cannot be used with/);
  });
});

describe('formatMysqlUrl', () => {
  it('round-trips through parseMysqlUrl, including awkward passwords and sockets', () => {
    const cfg = { host: '127.0.0.1', port: 3307, user: 'r@ot', password: 'p:a/s%s w', database: 'nn', socketPath: '/tmp/a b/mysql.sock' };
    expect(parseMysqlUrl(formatMysqlUrl(cfg))).toEqual(cfg);
    const noSocket = { host: '::1', port: 3306, user: 'root', password: '', database: 'nnfleet' };
    expect(parseMysqlUrl(formatMysqlUrl(noSocket))).toEqual(noSocket);
  });
});
