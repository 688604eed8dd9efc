import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Finds a datanode's data file for a block (blk_<id>, not the .meta) anywhere under its data dir. */
export function findBlockFile(dir: string, blockId: number): string | undefined {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const found = findBlockFile(path, blockId);
      if (found) return found;
    } else if (entry === `blk_${blockId}`) return path;
  }
  return undefined;
}

export { eventually } from './eventually';
