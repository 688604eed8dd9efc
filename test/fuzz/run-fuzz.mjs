#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S]`: the IPC fuzz suite with N hostile
// connections (and N decoder runs each property), without the MariaDB the
// other suites need. Prints frames tried and peak RSS.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string', default: String(Date.now() % 2 ** 31) } } });
const config = {
  rootDir: process.cwd(),
  testEnvironment: 'node',
  roots: ['<rootDir>/test/fuzz'],
  testMatch: ['**/*.fuzz.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
};
const result = spawnSync('npx', ['jest', '--runInBand', '--config', JSON.stringify(config)], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: values.runs, FUZZ_SEED: values.seed },
});
process.exit(result.status ?? 1);
