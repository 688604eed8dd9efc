import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcessSync } from '../harness/process-fixture';

// The checker is an ES module and jest runs CommonJS, so each check runs in
// a child node that imports the library and prints its result as JSON.
const SCRIPTS = join(__dirname, '..', '..', 'scripts');
const LIB_URL = pathToFileURL(join(SCRIPTS, 'architecture-check-lib.mjs')).href;

interface Finding {
  kind: 'cycle' | 'layer' | 'unresolved' | 'stale-exception';
  files?: string[];
  typeOnly?: boolean;
  file?: string;
  line?: number;
  target?: string;
  specifier?: string;
  from?: string;
  to?: string;
}

interface KnownException {
  from: string;
  to: string;
  typeOnly?: boolean;
  reason: string;
}

function check(root: string, knownExceptions: KnownException[] = []): { files: number; findings: Finding[] } {
  const program = `
    import { checkArchitecture } from ${JSON.stringify(LIB_URL)};
    const knownExceptions = JSON.parse(process.env.KNOWN_EXCEPTIONS);
    console.log(JSON.stringify(checkArchitecture({ root: process.env.FIXTURE_ROOT, knownExceptions })));
  `;
  const run = runProcessSync(process.execPath, ['--input-type=module', '-e', program], {
    env: { ...process.env, FIXTURE_ROOT: root, KNOWN_EXCEPTIONS: JSON.stringify(knownExceptions) },
  });
  if (run.status !== 0) throw new Error(`the architecture check failed (${String(run.status)}): ${run.stderr}`);
  return JSON.parse(run.stdout) as { files: number; findings: Finding[] };
}

let roots: string[] = [];

/** Writes a fixture tree (path → source) to a fresh temp dir. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'arch-fixture-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

const CLEAN = {
  'protocol/ipc/frame.ts': "import { hadoop } from '../generated/hadoop';\nexport const frame = hadoop;\n",
  'namenode/errors.ts': 'export class NamesystemError extends Error {}\n',
  'namenode/path/hdfs-path.ts': "import { NamesystemError } from '../errors';\nexport const bad = new NamesystemError();\n",
  'namenode/dal/inode-row.ts': 'export interface InodeRow { id: number }\n',
  'namenode/domain/file-status.ts': 'export interface FileStatus { length: number }\n',
  'namenode/domain/file-status-of-row.ts':
    "import type { InodeRow } from '../dal/inode-row';\nimport type { FileStatus } from './file-status';\n" +
    'export const fileStatusOf = (row: InodeRow): FileStatus => ({ length: row.id });\n',
  'cli/main.ts': "import { bad } from '../namenode/path/hdfs-path';\nimport { Command } from 'commander';\nexport { bad, Command };\n",
};

describe('architecture check', () => {
  test('a clean tree has no findings; tolerated imports, packages and generated code pass', () => {
    expect(check(tree(CLEAN))).toEqual({ files: 7, findings: [] });
  });

  test('a value cycle a → b → a, another through b, and a self-import are reported', () => {
    const root = tree({
      'datanode/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'datanode/b.ts': "import { a } from './a.js';\nimport { c } from './c';\nexport const b = () => a() + c();\n",
      'datanode/c.ts': "import type { b } from './b';\nexport const c = (): ReturnType<typeof b> => 1;\n",
      'datanode/self.ts': "import './self';\n",
    });
    expect(check(root).findings).toEqual([
      { kind: 'cycle', files: ['datanode/a.ts', 'datanode/b.ts', 'datanode/a.ts'], typeOnly: false },
      { kind: 'cycle', files: ['datanode/c.ts', 'datanode/b.ts', 'datanode/c.ts'], typeOnly: false },
      { kind: 'cycle', files: ['datanode/self.ts', 'datanode/self.ts'], typeOnly: false },
    ]);
  });

  test('a cycle that only types cross is still a cycle, marked type-only', () => {
    const root = tree({
      'namenode/domain/x.ts': "import type { Y } from './y';\nexport interface X { y: Y }\n",
      'namenode/domain/y.ts': "export type { X } from './x';\nexport interface Y { n: number }\n",
      'namenode/domain/z.ts': "import { type Y } from './y';\nexport type Z = import('./w').W | Y;\n",
      'namenode/domain/w.ts': "import type { Z } from './z';\nexport type W = Z[];\n",
    });
    expect(check(root).findings).toEqual([
      { kind: 'cycle', files: ['namenode/domain/w.ts', 'namenode/domain/z.ts', 'namenode/domain/w.ts'], typeOnly: true },
      { kind: 'cycle', files: ['namenode/domain/x.ts', 'namenode/domain/y.ts', 'namenode/domain/x.ts'], typeOnly: true },
    ]);
  });

  test('an import the layer rules forbid is reported with its line, type-only or not', () => {
    const root = tree({
      ...CLEAN,
      'protocol/ipc/leak.ts': "// comment\nimport type { NamesystemError } from '../../namenode/errors';\nexport type E = NamesystemError;\n",
      'namenode/blocks/datanode-manager.ts': 'export interface ReportedReplica { blockId: number }\nexport const REPLICA = 1;\n',
      // tolerated for types only: a value import from the same file is not
      'namenode/ipc/block-list-decoder.ts':
        "import { REPLICA, type ReportedReplica } from '../blocks/datanode-manager';\nexport const r: ReportedReplica = { blockId: REPLICA };\n",
    });
    const { findings } = check(root);
    expect(findings.map(({ kind, file, line, target }) => ({ kind, file, line, target }))).toEqual([
      { kind: 'layer', file: 'protocol/ipc/leak.ts', line: 2, target: 'namenode/errors.ts' },
      { kind: 'layer', file: 'namenode/ipc/block-list-decoder.ts', line: 1, target: 'namenode/blocks/datanode-manager.ts' },
    ]);
  });

  test('a known exception silences its import; one that matches nothing is reported', () => {
    const root = tree({ ...CLEAN, 'schema/ddl.ts': "import { NamesystemError } from '../namenode/errors';\nexport { NamesystemError };\n" });
    const used = { from: 'schema/ddl.ts', to: 'namenode/errors.ts', reason: 'fixture' };
    const stale = { from: 'schema/gone.ts', to: 'namenode/errors.ts', reason: 'fixed long ago' };
    expect(check(root, [used, stale]).findings).toEqual([{ kind: 'stale-exception', ...stale }]);
  });

  test('a relative import that names no file is reported', () => {
    const root = tree({ 'loadgen/a.ts': "export { x } from './missing';\n" });
    expect(check(root).findings).toEqual([{ kind: 'unresolved', file: 'loadgen/a.ts', line: 1, specifier: './missing' }]);
  });

  test('the CLI prints the summary and exits 0 when clean, prints each finding and exits 1 otherwise', () => {
    const cli = join(SCRIPTS, 'check-architecture.mjs');
    const clean = runProcessSync(process.execPath, [cli, tree(CLEAN)]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe('architecture: 7 files, no cycles, layers respected\n');

    const dirty = runProcessSync(process.execPath, [cli, tree({ 'datanode/a.ts': "import '../namenode/errors';\nimport './b';\n", 'datanode/b.ts': "import './a';\n", 'namenode/errors.ts': '' })]);
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain('datanode/a.ts:1 imports namenode/errors.ts (datanode may import only protocol)');
    expect(dirty.stderr).toContain('cycle: datanode/a.ts → datanode/b.ts → datanode/a.ts');
  });
});
