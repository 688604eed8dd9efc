import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePositiveInt } from '../options';
import { startLocalFleet } from './local-fleet';
import { runMain } from './run-main';
import { runSwiftSection, type SwiftSectionOptions } from './swift-section';

/**
 * `npm run bench:swift`: the Swift section of `npm run bench` alone — a
 * MariaDB and a namenode, a private Swift, gateways and local-disk
 * datanodes in one fleet, the same figures on both. Asserts nothing about
 * time.
 */
async function swiftBench(flags: SwiftSectionOptions): Promise<void> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-swift-bench-'));
  say(`nnfleet swift bench: ${cpus().length} cores; starting MariaDB, a namenode and a private Swift under ${dir}`);
  const fleet = await startLocalFleet(dir);
  try {
    const section = await runSwiftSection(dir, fleet, flags);
    if (section.failure) throw new Error(section.failure);
    for (const block of section.text) say(`\n${block}`);
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const program = new Command('bench:swift')
  .description('blocks through Swift gateways next to local disks: MiB/s of one big file and of many small ones, 4 KiB positional-read latency')
  .option('--swift-mib <n>', 'size of the big file on each store', parsePositiveInt, 256)
  .option('--swift-small-files <n>', 'small files (64 KiB) on each store', parsePositiveInt, 200)
  .option('--swift-ranged-reads <n>', '4 KiB positional reads of the big file on each store', parsePositiveInt, 200)
  .action((o: { swiftMib: number; swiftSmallFiles: number; swiftRangedReads: number }) => swiftBench({ bigMiB: o.swiftMib, smallFiles: o.swiftSmallFiles, rangedReads: o.swiftRangedReads }));
runMain('bench:swift', program);
