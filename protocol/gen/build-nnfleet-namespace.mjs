// Generates protocol/generated/nnfleet-namespace.js (CommonJS static module)
// and .d.ts from protocol/nnfleet/namespace.proto: the messages of the gRPC
// namespace API (namenode/grpc/namespace-service.ts builds the grpc-js
// service definition from them). Separate from build.mjs (Hadoop's
// protos) and from the admin API's step, so each service adds its own.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { pbjs, pbts } = require('protobufjs-cli');

const protocolDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const proto = join(protocolDir, 'nnfleet', 'namespace.proto');
const outDir = join(protocolDir, 'generated');
const jsOut = join(outDir, 'nnfleet-namespace.js');
const dtsOut = join(outDir, 'nnfleet-namespace.d.ts');

const run = (tool, args) => new Promise((resolve, reject) => tool.main(args, (err) => (err ? reject(err) : resolve())));

const pbjsArgs = ['-t', 'static-module', '-w', 'commonjs', '--force-number', '-p', join(protocolDir, 'nnfleet')];
mkdirSync(outDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'nnfleet-ns-proto-'));
try {
  const commented = join(scratch, 'nnfleet-namespace.js');
  await run(pbjs, [...pbjsArgs, '-o', commented, proto]);
  await run(pbts, ['-o', dtsOut, commented]);
  await run(pbjs, [...pbjsArgs, '--no-comments', '-o', jsOut, proto]);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
