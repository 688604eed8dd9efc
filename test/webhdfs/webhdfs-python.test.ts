import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { payload } from '../harness/payload';
import { toolPath } from '../harness/prerequisite';
import { runProcess } from '../harness/process-fixture';

const PYTHON = toolPath('python/bin/python');
const SESSION = join(__dirname, 'hdfscli_session.py');

async function runSession(url: string, user: string, dir: string): Promise<Record<string, unknown>> {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run scripts/install-python-deps.sh`);
  const r = await runProcess(PYTHON, [SESSION, url, user, dir], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`hdfscli session failed: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Python's `hdfs` package (HdfsCLI), as Python users reach HDFS: every call over WebHDFS, data through the datanodes. */
describe('WebHDFS with HdfsCLI (Python)', () => {
  let fleet: DataFleet;
  let local: string;
  const data = payload(1_500_000, 5);

  beforeAll(async () => {
    fleet = await dataFleet('webhdfs-py', 2, {}, { httpPort: 0 });
    local = mkdtempSync(join(tmpdir(), 'webhdfs-py-'));
    writeFileSync(join(local, 'data.bin'), data);
  }, 60_000);

  afterAll(async () => {
    await fleet?.close();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('upload, write, append, list, status, content, read (whole and a range), download, rename, chmod, delete', async () => {
    const out = await runSession(`http://127.0.0.1:${fleet.namenode.httpPort}`, fleet.superuser, local);
    expect(out['upload']).toBe('/py/dir/data.bin');
    expect(out['list']).toEqual(['data.bin', 'text.txt']);
    expect(out['list_status']).toEqual([
      ['data.bin', 'FILE', data.length, fleet.superuser, '644'],
      ['text.txt', 'FILE', 23, fleet.superuser, '644'],
    ]);
    expect(out['status']).toMatchObject({ type: 'FILE', length: data.length, pathSuffix: '', owner: fleet.superuser });
    expect(out['status_missing']).toBeNull();
    expect(out['content']).toMatchObject({ directoryCount: 1, fileCount: 2, length: data.length + 23 });
    expect(out['text']).toBe('hello from python\nmore\n');
    expect(out['range_hex_len']).toBe(70000);
    expect(readFileSync(join(local, 'data.back')).equals(data)).toBe(true);
    expect(out['renamed']).toBe('600');
    expect(out['delete_nonempty']).toMatch(/is non empty|not empty/);
    expect(out['missing_error']).toMatch(/File does not exist: \/py\/dir\/absent/);
    expect(out['delete']).toBe(true);
    expect(out['after_delete']).toBeNull();
  });
});
