import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package, driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * `describe`, or a loud skip when Chromium is absent; under CI=true its
 * absence fails the file instead, so a CI image without it never passes
 * by skipping.
 */
export function describeWithChromium(testFile: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  const message = `${testFile}: ${CHROMIUM} is absent (apt-get install -y chromium)`;
  if (process.env['CI'] === 'true') throw new Error(message);
  process.stderr.write(`${message} — SKIPPED\n`);
  return describe.skip;
}

/** Headless Chromium with a fresh profile under `dir`. */
export function launchChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(dir, 'profile-')), {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A directory for screenshots that outlives the test, its path printed for whoever looks at them. */
export function screenshotDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  process.stderr.write(`screenshots: ${dir}\n`);
  return dir;
}
