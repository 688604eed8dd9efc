// Generates protocol/generated/hadoop.js (CommonJS static module) and
// hadoop.d.ts from every .proto under protocol/proto.
//
// 64-bit integers: no --force-long / --force-number. Fields are typed
// `number | Long`; with the `long` package installed (a protobufjs
// dependency) decoding always yields Long, so block ids and lengths above
// 2^53 round-trip exactly; callers may write plain numbers. Convert with
// protocol/long-values.ts.
// Field names are camelCased (modification_time -> modificationTime); the
// wire format is unaffected.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { pbjs, pbts } = require('protobufjs-cli');

const protocolDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(protocolDir, 'proto');
const outDir = join(protocolDir, 'generated');
const jsOut = join(outDir, 'hadoop.js');
const dtsOut = join(outDir, 'hadoop.d.ts');

function run(tool, args) {
  return new Promise((resolve, reject) => {
    tool.main(args, (err) => (err ? reject(err) : resolve()));
  });
}

const protos = readdirSync(protoDir)
  .filter((f) => f.endsWith('.proto'))
  .sort()
  .map((f) => join(protoDir, f));

const pbjsArgs = ['-t', 'static-module', '-w', 'commonjs', '-p', protoDir];

mkdirSync(outDir, { recursive: true });
// pbts reads types from JSDoc, so the typings come from a commented build;
// the shipped module is built without comments (a third of the size).
const scratch = mkdtempSync(join(tmpdir(), 'nnfleet-proto-'));
try {
  const commented = join(scratch, 'hadoop.js');
  await run(pbjs, [...pbjsArgs, '-o', commented, ...protos]);
  await run(pbts, ['-o', dtsOut, commented]);
  await run(pbjs, [...pbjsArgs, '--no-comments', '-o', jsOut, ...protos]);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
