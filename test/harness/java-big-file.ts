import { randomBytes } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsShell, javaStdout, type JavaRunOptions } from './java-hadoop';
import { sha256File } from './payload';

const MiB = 1 << 20;

/**
 * A 300 MiB file of random bytes through the Java client: -put at the given
 * replication in 64 MiB blocks, -ls shows it whole, `whilePut` looks at the
 * fleet, -get brings it back with the same size and sha256.
 */
export async function bigFileRoundTrip(as: JavaRunOptions, localDir: string, path: string, replication: number, whilePut: () => Promise<void> = async () => undefined): Promise<void> {
  const src = join(localDir, `big-${replication}`);
  writeFileSync(src, randomBytes(300 * MiB));
  await javaStdout(fsShell(['-D', `dfs.blocksize=${64 * MiB}`, '-D', `dfs.replication=${replication}`, '-put', src, path], as));
  const ls = await javaStdout(fsShell(['-ls', path], as));
  if (!new RegExp(`^-rw-r--r--\\s+${replication} \\S+ supergroup\\s+${300 * MiB} \\S+ \\S+ ${path}$`).test(ls.trim())) throw new Error(`-ls ${path}: ${ls}`);
  await whilePut();
  const back = `${src}.back`;
  await javaStdout(fsShell(['-get', path, back], as));
  const size = statSync(back).size;
  const same = size === 300 * MiB && (await sha256File(back)) === (await sha256File(src));
  rmSync(back);
  rmSync(src);
  if (!same) throw new Error(`-get ${path}: ${size} bytes, not the ${300 * MiB} bytes put (or not the same sha256)`);
}
