import type { ChangeFeed } from '../../namenode/changelog/change-feed';
import type { Namesystem } from '../../namenode/namesystem';
import { CreateFlag } from '../../namenode/ops/create';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

const FILES = 1500;
const CLIENTS = 16;

let on: NamesystemFixture;
let off: NamesystemFixture;
beforeAll(async () => {
  on = await namesystemFixture('clcost_on');
  off = await namesystemFixture('clcost_off', { changeLog: false });
}, 60_000);
afterAll(async () => {
  await on?.close();
  await off?.close();
});

/** FILES creates (each create + complete of an empty file) from CLIENTS concurrent clients; answers ops/s. */
async function createStorm(f: NamesystemFixture, dir: string): Promise<number> {
  const ns: Namesystem = f.ns;
  await ns.mkdirs(f.root, dir, 0o755, true);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < FILES; i = next++) {
        const src = `${dir}/f${i}`;
        await ns.create(f.root, { src, masked: 0o644, clientName: 'DFSClient_cost', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 20 });
        await ns.complete(f.root, src, 'DFSClient_cost');
      }
    }),
  );
  return FILES / ((performance.now() - started) / 1000);
}

const head = async (f: NamesystemFixture) => {
  const feed = f.ns.changeFeed as ChangeFeed;
  await feed.sequence();
  return (await feed.clocks()).head;
};

test('the write cost of the change log: create ops/s with it and without it (printed); switched off, nothing is logged', async () => {
  const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const startOn = await head(on);
  const startOff = await head(off);
  for (let round = 0; round < 2; round++) {
    rates.off.push(await createStorm(off, `/cost${round}`));
    rates.on.push(await createStorm(on, `/cost${round}`));
  }
  // Per round: the mkdirs, then a create and a close per file.
  expect((await head(on)) - startOn).toBe(2 * (1 + 2 * FILES));
  expect(await head(off)).toBe(startOff);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  process.stdout.write(`create+complete ops/s, ${CLIENTS} clients, ${FILES} files a round: change log on [${fmt(rates.on)}], off [${fmt(rates.off)}]\n`);
}, 300_000);
