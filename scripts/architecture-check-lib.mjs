// Import graph of the product sources: cycles and layer rules.
// The CLI (check-architecture.mjs) prints the findings; test/architecture
// runs this on fixture trees, so the checker itself is tested.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

export const SOURCE_ROOTS = ['protocol', 'schema', 'namenode', 'datanode', 'loadgen', 'cli'];

// Generated from .proto at build time: read by nobody here, imported by many.
const GENERATED = 'protocol/generated';

const NAMENODE_CORE = [
  'namenode/blocks',
  'namenode/quota',
  'namenode/tx',
  'namenode/dal',
  'namenode/domain',
  'namenode/wire',
  'namenode/path',
  'namenode/security',
  'namenode/errors.ts',
  'namenode/namesystem-config.ts',
];

// The intended architecture. A layer is a folder or a single file; a file
// belongs to the longest layer that contains it. A layer may import itself
// and what `mayImport` lists (layers, folders or single files). Packages
// (anything not a relative specifier) are not checked.
export const LAYERS = [
  { layer: 'protocol', mayImport: [] },
  { layer: 'schema', mayImport: [] },
  // The typed errors and Hadoop's exception class names (wire facts) are what
  // the exception table in domain/ maps between; both import nothing of ours.
  { layer: 'namenode/domain', mayImport: ['namenode/errors.ts', 'protocol/ipc/exception-classes.ts'] },
  { layer: 'namenode/errors.ts', mayImport: [] },
  { layer: 'namenode/path', mayImport: ['namenode/errors.ts'] },
  { layer: 'namenode/security', mayImport: ['namenode/errors.ts', 'namenode/domain', 'namenode/dal/inode-row.ts'] },
  { layer: 'namenode/namesystem-config.ts', mayImport: ['namenode/security'] },
  // HdfsFileStatusProto's bytes of a status: written by the IPC answers, and kept on each inode row for listings (dal).
  { layer: 'namenode/wire', mayImport: ['namenode/domain', 'protocol'] },
  { layer: 'namenode/dal', mayImport: ['schema', 'namenode/domain', 'namenode/errors.ts', 'namenode/wire'] },
  {
    layer: 'namenode/tx',
    mayImport: [
      'namenode/dal',
      'namenode/domain',
      'namenode/path',
      'namenode/security',
      'namenode/errors.ts',
      'schema',
      'namenode/namesystem-config.ts',
    ],
  },
  // Quota usage accounting: what ops and blocks charge, on the data access layer and the transaction.
  { layer: 'namenode/quota', mayImport: ['namenode/tx', 'namenode/dal', 'namenode/domain', 'namenode/path', 'namenode/errors.ts', 'schema'] },
  // The change log (Watch, inotify): written through the transaction layer's seam, read by the front doors through the Namesystem.
  { layer: 'namenode/changelog', mayImport: ['namenode/tx', 'namenode/dal', 'namenode/domain', 'namenode/errors.ts', 'schema', 'namenode/namesystem-config.ts'] },
  { layer: 'namenode/blocks', mayImport: NAMENODE_CORE.filter((l) => l !== 'namenode/blocks') },
  { layer: 'namenode/ops', mayImport: [...NAMENODE_CORE, 'schema'] },
  {
    layer: 'namenode/leader',
    mayImport: [
      'namenode/blocks',
      'namenode/changelog',
      'namenode/tx',
      'namenode/dal',
      'namenode/domain',
      'namenode/errors.ts',
      'namenode/namesystem-config.ts',
    ],
  },
  // The coherent inode cache (Redis): a RowCache for the transaction runner, built by the namenode process; it knows the rows and the listing entries it keeps, no SQL.
  { layer: 'namenode/cache', mayImport: ['namenode/tx/row-cache.ts', 'namenode/tx/clock-sweep.ts', 'namenode/dal/inode-row.ts', 'namenode/dal/cached-listing.ts', 'namenode/namesystem-config.ts'] },
  { layer: 'namenode/fsck', mayImport: ['namenode/dal', 'namenode/domain', 'schema'] },
  { layer: 'namenode/namesystem.ts', mayImport: ['namenode/ops', 'namenode/changelog', ...NAMENODE_CORE.filter((l) => l !== 'namenode/path'), 'schema'] },
  ...['namenode/ipc', 'namenode/http', 'namenode/grpc'].map((layer) => ({
    layer,
    mayImport: [
      'namenode/namesystem.ts',
      // The change feed's events and cursor errors are what inotify and Watch answer with; paths parse the same at every door.
      'namenode/changelog/change-event.ts',
      'namenode/changelog/change-feed.ts',
      'namenode/path',
      'namenode/domain',
      'namenode/wire',
      'namenode/security',
      'namenode/errors.ts',
      'protocol',
      'namenode/namesystem-config.ts',
    ],
  })),
  { layer: 'namenode/namenode-process.ts', mayImport: ['namenode', 'protocol', 'schema'] },
  { layer: 'datanode', mayImport: ['protocol'] },
  { layer: 'loadgen', mayImport: ['protocol'] },
  { layer: 'cli', mayImport: ['protocol', 'schema', 'namenode', 'datanode', 'loadgen'] },
];

// Imports the architecture allows on purpose, one file to one file; with
// `typeOnly`, only while the import carries nothing but types.
export const TOLERATED = [
  {
    from: 'namenode/domain/file-status-of-row.ts',
    to: 'namenode/dal/inode-row.ts',
    reason: 'the one place an inode row becomes a FileStatus; the row type is plain data with no SQL behind it',
  },
];

/** Repository-relative posix path of every product .ts file under `root`. */
export function listSourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = posix.join(dir, name);
      if (rel === GENERATED || name === 'node_modules') continue;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) files.push(rel);
    }
  };
  for (const top of SOURCE_ROOTS) if (existsSync(join(root, top))) walk(top);
  return files;
}

/** Every module specifier a file names, with its line and whether only types cross it. */
export function readImports(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const add = (literal, typeOnly) => {
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ specifier: literal.text, line, typeOnly });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, importIsTypeOnly(node.importClause));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : [];
      add(node.moduleSpecifier, node.isTypeOnly || (named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal, true);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function importIsTypeOnly(clause) {
  if (!clause) return false; // `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** The repository-relative file a relative specifier names, or undefined. */
function resolveSpecifier(root, fromFile, specifier) {
  const base = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  if (base === GENERATED || base.startsWith(GENERATED + '/')) return base;
  const stem = base.replace(/\.(js|ts)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}/index.ts`, `${stem}.d.ts`, `${stem}.json`]) {
    const full = join(root, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return undefined;
}

const within = (file, area) => file === area || file.startsWith(area + '/');

/** The layer entry a file belongs to (longest match), or undefined. */
export function layerOf(file, layers = LAYERS) {
  let best;
  for (const entry of layers) {
    if (within(file, entry.layer) && (!best || entry.layer.length > best.layer.length)) best = entry;
  }
  return best;
}

function describeRule(entry) {
  const allowed = entry.mayImport.length === 0 ? 'nothing of ours outside it' : `only ${entry.mayImport.join(', ')}`;
  return `${entry.layer} may import ${allowed}`;
}

/**
 * Checks the tree under `root`. `knownExceptions` ({from, to, typeOnly?,
 * reason}, like TOLERATED) are layer violations accepted for now; one that
 * matches no import any more is itself a finding, so the list only shrinks.
 */
export function checkArchitecture({ root, layers = LAYERS, tolerated = TOLERATED, knownExceptions = [] }) {
  const files = listSourceFiles(root);
  const edges = new Map(files.map((f) => [f, new Map()])); // from -> to -> typeOnly
  const findings = [];
  const usedExceptions = new Set();
  const matches = (list, from, to, typeOnly) =>
    list.find((e) => e.from === from && within(to, e.to) && (!e.typeOnly || typeOnly));

  for (const file of files) {
    for (const imp of readImports(file, readFileSync(join(root, file), 'utf8'))) {
      if (!imp.specifier.startsWith('.')) continue;
      const target = resolveSpecifier(root, file, imp.specifier);
      if (target === undefined) {
        findings.push({ kind: 'unresolved', file, line: imp.line, specifier: imp.specifier });
        continue;
      }
      if (edges.has(target)) {
        const out = edges.get(file);
        out.set(target, (out.get(target) ?? true) && imp.typeOnly);
      }
      const from = layerOf(file, layers);
      const to = layerOf(target, layers);
      if (!from || from === to) continue;
      if (to && from.mayImport.some((area) => within(target, area))) continue;
      if (matches(tolerated, file, target, imp.typeOnly)) continue;
      const known = matches(knownExceptions, file, target, imp.typeOnly);
      if (known) {
        usedExceptions.add(known);
        continue;
      }
      findings.push({ kind: 'layer', file, line: imp.line, target, rule: describeRule(from) });
    }
  }
  findings.push(...findCycles(edges));
  for (const exception of knownExceptions) {
    if (!usedExceptions.has(exception)) findings.push({ kind: 'stale-exception', ...exception });
  }
  return { files: files.length, findings };
}

/**
 * In path order: every self-import and, per group of files that reach each
 * other (Tarjan's strongly connected components), for each file not yet on
 * a printed cycle the shortest cycle through it, so every file is shown.
 */
function findCycles(edges) {
  const cycles = [];
  for (const [file, out] of edges) {
    if (out.has(file)) cycles.push({ kind: 'cycle', files: [file, file], typeOnly: out.get(file) });
  }
  for (const component of stronglyConnected(edges)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const covered = new Set();
    for (const start of [...component].sort()) {
      if (covered.has(start)) continue;
      const path = shortestCycle(edges, members, start);
      path.forEach((f) => covered.add(f));
      const typeOnly = path.slice(1).every((to, i) => edges.get(path[i]).get(to));
      cycles.push({ kind: 'cycle', files: path, typeOnly });
    }
  }
  return cycles.sort((a, b) => (a.files.join() < b.files.join() ? -1 : 1));
}

function shortestCycle(edges, members, start) {
  const previous = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i];
    for (const next of [...edges.get(at).keys()].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let f = at; f !== start; f = previous.get(f)) path.splice(1, 0, f);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, at);
        queue.push(next);
      }
    }
  }
  throw new Error(`no cycle through ${start}`);
}

function stronglyConnected(edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  // Iterative, so a long import chain cannot overflow the call stack.
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, next: [...edges.get(root).keys()], i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.next.length) {
        const to = frame.next[frame.i++];
        if (!edges.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: [...edges.get(to).keys()], i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** One line per finding, as the CLI prints them. */
export function formatFinding(finding) {
  switch (finding.kind) {
    case 'cycle':
      return `cycle${finding.typeOnly ? ' (type-only)' : ''}: ${finding.files.join(' → ')}`;
    case 'layer':
      return `${finding.file}:${finding.line} imports ${finding.target} (${finding.rule})`;
    case 'unresolved':
      return `${finding.file}:${finding.line} imports '${finding.specifier}', which names no file`;
    case 'stale-exception':
      return `KNOWN_EXCEPTIONS entry ${finding.from} → ${finding.to} matches no import any more: delete it`;
    default:
      throw new Error(`unknown finding ${finding.kind}`);
  }
}
