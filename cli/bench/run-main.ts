import { Option, type Command } from 'commander';

/** The `--progress` option the bench's commands share. */
export const progressOption = (): Option =>
  new Option('--progress <style>', 'live progress').choices(['auto', 'bar', 'lines', 'none']).default('auto');

/** Runs a bench command as the process's main program: a failure is printed and exits 1. */
export function runMain(name: string, program: Command): void {
  program.parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
