import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { until } from '../harness/eventually';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { describeWithChromium, launchChromium, screenshotDir } from '../harness/headless-chromium';
import { payload } from '../harness/payload';
import { upFleet, type UpFleet } from '../harness/up-fleet';

jest.setTimeout(240_000);

const SUPERUSER = userInfo().username;
/** Files the test writes before opening the UI: path → size. */
const FILES: Readonly<Record<string, number>> = { '/web/readme.txt': 1234, '/web/sub/a.bin': 70_000, '/web/sub/b.bin': 1, '/web/sub/c.bin': 250_000 };
/** /, /web, /web/sub, /user, /user/alice. */
const DIRECTORIES = 5;

describeWithChromium('web-ui-browser.test')('the namenode web UI in headless Chromium, on a running fleet', () => {
  let up: UpFleet;
  let browser: BrowserContext;
  let page: Page;
  let shots: string;
  let work: string;
  const go = (user: string, args: readonly string[]) => stdoutOf(hdfs(up.fleet.balancer, user, args));
  const field = (name: string) => page.locator(`#page-overview [data-field="${name}"]`);
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    // Datanodes declared dead 5 s after their last heartbeat, so the kill shows within the test.
    up = await upFleet('nnfleet-webui', { namenodes: 2, datanodes: 3, defines: ['heartbeatExpiryMs=5000'] });
    work = mkdtempSync(join(tmpdir(), 'nnfleet-webui-files-'));
    await go(SUPERUSER, ['mkdir', '-p', '/web/sub', '/user/alice']);
    await go(SUPERUSER, ['chown', 'alice:staff', '/user/alice']);
    for (const [path, size] of Object.entries(FILES)) {
      const local = join(work, path.replace(/\//g, '_'));
      writeFileSync(local, payload(size, size));
      await go(SUPERUSER, ['put', local, path]);
    }
    shots = screenshotDir('nnfleet-webui-shots');
    browser = await launchChromium(work);
    page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  });

  afterAll(async () => {
    await browser?.close();
    await up?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the overview shows the fleet: its cluster, both namenodes with one leader, the namespace totals, capacity and live datanodes', async () => {
    await page.goto(`${up.fleet.balancerHttp}/`);
    await page.waitForSelector('body[data-loaded="overview"]');
    // The totals are cached for 2 s per namenode: wait for a poll that counts every file put above.
    await until('the overview counts every file', async () => (await field('files').getAttribute('data-value')) === String(Object.keys(FILES).length), 20_000, 200);

    const clusterId = up.up.stdout().match(/^namespace created cluster=(\S+) /m)?.[1];
    expect(await field('clusterId').textContent()).toBe(clusterId);
    expect(await field('files').getAttribute('data-value')).toBe(String(Object.keys(FILES).length));
    expect(await field('directories').getAttribute('data-value')).toBe(String(DIRECTORIES));
    expect(await field('blocks').getAttribute('data-value')).toBe(String(Object.keys(FILES).length));
    expect(await field('liveDatanodes').textContent()).toBe('3');
    expect(await field('deadDatanodes').textContent()).toBe('0');
    // Configured capacity is what the Go client's df reads over Hadoop IPC (getStats).
    const df = (await go(SUPERUSER, ['df'])).trim().split('\n')[1]?.trim().split(/\s+/);
    expect(await field('capacity').getAttribute('data-value')).toBe(df?.[1]);

    const rows = page.locator('#overview-namenodes tbody tr');
    expect(await rows.count()).toBe(2);
    const rpc = await rows.locator('td:nth-child(4)').allTextContents();
    expect(rpc.sort()).toEqual(up.fleet.namenodes.map((n) => n.rpc).sort());
    expect(await rows.locator('.badge', { hasText: 'Leader' }).count()).toBe(1);
    expect(await rows.locator('.badge', { hasText: 'Healthy' }).count()).toBe(2);
    await shot('1-overview');

    // Every form control has a label a screen reader announces.
    expect(await page.evaluate('[...document.querySelectorAll("input")].filter((i) => i.labels.length === 0).map((i) => i.id)')).toEqual([]);
  });

  it('browses into a directory by keyboard and shows a file with its block locations', async () => {
    await page.fill('#user-name', 'alice');
    await page.press('#user-name', 'Enter');
    await page.getByRole('link', { name: 'Browse files' }).click();
    await page.waitForSelector('#listing tbody tr[data-name="web"]');
    await page.getByRole('link', { name: 'web/' }).press('Enter');
    await page.getByRole('link', { name: 'sub/' }).click();
    await page.waitForSelector('#listing tbody tr[data-name="a.bin"]');
    const names = page.locator('#listing tbody tr');
    expect(await Promise.all((await names.all()).map((tr) => tr.getAttribute('data-name')))).toEqual(['a.bin', 'b.bin', 'c.bin']);
    expect(await page.locator('#crumbs a[aria-current="location"]').textContent()).toBe('sub');

    await page.getByRole('button', { name: 'c.bin', exact: true }).click();
    await page.waitForSelector('#file-details:not([hidden])');
    expect(await page.locator('#file-status').textContent()).toContain('250,000 bytes');
    const blocks = page.locator('#file-blocks tbody tr[data-block]');
    expect(await blocks.count()).toBe(1);
    const datanodes = (await blocks.locator('td:nth-child(4)').textContent()) ?? '';
    expect(datanodes.split(', ').length).toBeGreaterThanOrEqual(1);
    // The heading takes focus, so keyboard and screen reader users land on the details.
    expect(await page.evaluate('document.activeElement?.id')).toBe('h-file');
    await shot('2-browse-file-details');
  });

  it('uploads a file, makes and deletes a directory as the signed-in user; the Go client reads the upload back', async () => {
    const bytes = payload(300_000, 77);
    await page.fill('#goto-path', '/user/alice');
    await page.press('#goto-path', 'Enter');
    await page.waitForSelector('#listing tbody');
    await page.setInputFiles('#upload-file', { name: 'from-browser.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForSelector('#listing tbody tr[data-name="from-browser.bin"]');
    expect(await page.locator('#status').textContent()).toContain('Uploaded /user/alice/from-browser.bin');

    const local = join(work, 'read-back.bin');
    await go('alice', ['get', '/user/alice/from-browser.bin', local]);
    expect(readFileSync(local).equals(bytes)).toBe(true);
    expect(await go('alice', ['ls', '-l', '/user/alice/from-browser.bin'])).toMatch(/alice\s+staff\s+300000/);

    // Download: the link's OPEN redirects to a datanode, which streams the bytes.
    const href = await page.getByRole('link', { name: 'Download from-browser.bin' }).getAttribute('href');
    const downloaded = await page.request.get(new URL(href ?? '', page.url()).href);
    expect(Buffer.from(await downloaded.body()).equals(bytes)).toBe(true);

    await page.fill('#mkdir-name', 'made-in-ui');
    await page.getByRole('button', { name: 'Create directory' }).click();
    await page.waitForSelector('#listing tbody tr[data-name="made-in-ui"]');
    expect((await go('alice', ['ls', '/user/alice'])).split('\n')).toContain('made-in-ui');
    await shot('3-browse-after-upload');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete made-in-ui' }).click();
    await page.waitForSelector('#listing tbody tr[data-name="made-in-ui"]', { state: 'detached' });
    expect((await go('alice', ['ls', '/user/alice'])).split('\n')).not.toContain('made-in-ui');

    // Another user may not write here: the RemoteException is shown, nothing is created.
    await page.fill('#user-name', 'bob');
    await page.press('#user-name', 'Enter');
    await page.fill('#mkdir-name', 'not-bobs');
    await page.getByRole('button', { name: 'Create directory' }).click();
    await page.waitForSelector('#status.error');
    expect(await page.locator('#status').textContent()).toContain('AccessControlException');
    expect((await go('alice', ['ls', '/user/alice'])).split('\n')).not.toContain('not-bobs');
  });

  it('charts the calls of the fleet per method', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    for (let i = 0; i < 10; i++) await go(SUPERUSER, ['ls', '/web/sub']);
    await page.waitForSelector('#chart-rate polyline.series', { timeout: 30_000 });
    // The table counts the fleet's getListing calls since start: at least the ten just made, once a sample has them.
    const listings = page.locator('#calls-table tr[data-method="getListing"] td:nth-child(5)');
    await until('the ten listings counted', async () => (await listings.count()) === 1 && Number((await listings.textContent())?.replace(/,/g, '')) >= 10, 30_000, 250);
    const box = await page.locator('#chart-rate').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    await page.waitForTimeout(4000);
    await shot('4-operations');
  });

  it('shows a killed datanode go dead', async () => {
    const victim = up.fleet.pids.datanodes[0];
    if (victim === undefined) throw new Error('no datanode pid');
    process.kill(victim, 'SIGKILL');
    await page.getByRole('link', { name: 'Datanodes' }).click();
    await until('one datanode shown dead', async () => (await page.locator('#datanodes-table tr[data-liveness="dead"]').count()) === 1, 60_000, 250);
    expect(await page.locator('#datanodes-table tr[data-liveness="live"]').count()).toBe(2);
    expect(await page.locator('#datanodes-table tr[data-liveness="dead"] .badge').textContent()).toBe('Dead');
    await shot('5-datanodes-one-dead');

    await page.getByRole('link', { name: 'Overview' }).click();
    await until('the overview counts the dead datanode', async () => (await field('deadDatanodes').textContent()) === '1', 20_000, 250);
    expect(await field('liveDatanodes').textContent()).toBe('2');
    await shot('6-overview-one-dead');
  });
});
