import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Where scripts/install-deps.sh (and install-java-deps.sh,
 * install-python-deps.sh) put their tools: $NNFLEET_TOOLS_DIR, else the
 * checkout's .tools — the same rule as the scripts.
 */
export const TOOLS_DIR = process.env['NNFLEET_TOOLS_DIR'] || resolve(__dirname, '../../.tools');

/** A file under the tools directory (it may not exist yet). */
export const toolPath = (relative: string): string => join(TOOLS_DIR, relative);

const onCi = (): boolean => process.env['CI'] === 'true';

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first of `names` found executable on PATH, as a shell would. */
export function onPath(...names: string[]): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    for (const name of names) if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * A tool a test file cannot run without. Present: its path. Missing: under
 * CI=true the test file fails to load with why and how to install it (a run
 * on CI never passes by skipping); elsewhere undefined, said once on stderr,
 * and the caller skips.
 */
export function prerequisite(what: string, path: string | undefined, installedBy: string): string | undefined {
  if (path !== undefined && existsSync(path)) return path;
  const why = `${what} is missing (${path ?? 'not found on PATH'}): run ${installedBy}`;
  if (onCi()) throw new Error(`prerequisite missing under CI=true, failing rather than skipping: ${why}`);
  process.stderr.write(`SKIPPED: ${why}\n`);
  return undefined;
}

/** `describe` when the prerequisite is there, `describe.skip` otherwise (never on CI: prerequisite throws). */
export const describeIf = (present: string | undefined): jest.Describe => (present === undefined ? describe.skip : describe);
