// Part of `npm run build`: the namenode web UI's static files (HTML, CSS,
// plain JS modules) go beside the compiled code in dist/, which tsc alone
// would not copy, so dist/ serves the UI on its own.
import { cpSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = resolve(root, 'namenode/http/ui/assets');
const to = resolve(root, 'dist/namenode/http/ui/assets');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
