import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import type { LoadgenReport } from '../../loadgen/loadgen-result';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { runLoadgen } from '../../loadgen/run-loadgen';
import { runSpotify } from '../../loadgen/spotify-mode';
import { opRow } from '../../loadgen/result-table';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { describeIf, onPath, prerequisite } from '../harness/prerequisite';

// Debian's chromium package, installed by scripts/install-deps.sh.
const CHROMIUM = prerequisite('Chromium', onPath('chromium', 'chromium-browser'), 'scripts/install-deps.sh (Debian package chromium)');

jest.setTimeout(120_000);

describeIf(CHROMIUM)('HTML report in headless Chromium', () => {
  let fx: NamenodeFixture;
  let dir: string;
  let browser: BrowserContext;
  let report: LoadgenReport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nnfleet-report-'));
    fx = await namenodeFixture('loadgen_html');
    await runLoadgen(
      'spotify',
      { fileData: new MetadataOnlyFileDataClient(), namenodes: [fx.address], user: fx.superuser, connections: 2, progress: 'none', json: join(dir, 'r.json'), html: join(dir, 'r.html') },
      { threads: 4, durationSeconds: 2, dirs: 4, filesPerDir: 10, root: '/h', seed: 3, useExisting: false, group: 'supergroup' },
      runSpotify,
      new PassThrough().resume(),
    );
    report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as LoadgenReport;
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM as string,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart and shows the numbers of the JSON', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, 'r.html')).href);

    const phases = page.locator('section.phase');
    expect(await phases.count()).toBe(report.phases.length);
    for (let i = 0; i < report.phases.length; i++) {
      const phase = report.phases[i];
      if (!phase) throw new Error('missing phase');
      const section = phases.nth(i);
      expect(await section.locator('h2').textContent()).toBe(phase.name);

      // Two charts per phase, each laid out with a real size and a drawn line per operation.
      const svgs = section.locator('svg.chart');
      expect(await svgs.count()).toBe(2);
      for (let c = 0; c < 2; c++) {
        const box = await svgs.nth(c).boundingBox();
        expect(box?.width).toBeGreaterThan(100);
        expect(box?.height).toBeGreaterThan(100);
      }
      const throughputLines = svgs.nth(0).locator('polyline.series');
      expect(await throughputLines.count()).toBe(phase.ops.length);
      for (let s = 0; s < phase.ops.length; s++) {
        const line = throughputLines.nth(s);
        expect((await line.getAttribute('points'))?.split(' ').length).toBeGreaterThan(1);
        expect((await line.boundingBox())?.width).toBeGreaterThan(0);
      }
      expect(await svgs.nth(1).locator('polyline.series').count()).toBe(phase.ops.filter((o) => o.count > 0).length);

      // Every number in the table is the JSON's, formatted as the text table formats it.
      for (const o of phase.ops) {
        const cells = await section.locator(`tr[data-op="${o.op}"] td`).allTextContents();
        expect(cells).toEqual(opRow(o));
        expect(Number(cells[1])).toBe(o.count);
        // Shown rounded: within half a unit of the last digit (toBeCloseTo's strict bound fails on a value such as 388.95 shown as 388.9).
        expect(Math.abs(Number(cells[2]) - o.opsPerSec)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(Math.abs(Number(cells[6]) - o.latency.p99Ms)).toBeLessThanOrEqual(0.0005 + 1e-9);
      }
    }
    expect(await page.locator('#data-path').textContent()).toContain('metadata only');
    // Self-contained: nothing but the file itself was loaded.
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    const embedded = JSON.parse((await page.locator('#report-json').textContent()) ?? '{}') as LoadgenReport;
    expect(embedded).toEqual(report);
    await page.close();
  });
});
