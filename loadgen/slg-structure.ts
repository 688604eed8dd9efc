import type { SeededRandom } from './seeded-random';

/** Hadoop SLG's StructureGenerator options, with its names and defaults. */
export interface SlgStructureOptions {
  readonly maxDepth: number;
  readonly minWidth: number;
  readonly maxWidth: number;
  readonly numOfFiles: number;
  /** Average file size in blocks (SLG's unit). */
  readonly avgFileSize: number;
}

export const SLG_STRUCTURE_DEFAULTS: SlgStructureOptions = { maxDepth: 5, minWidth: 1, maxWidth: 5, numOfFiles: 10, avgFileSize: 1 };

export interface SlgDir {
  /** Relative to the run's root, "" for the root itself, e.g. "dir0/dir3". */
  readonly path: string;
  readonly depth: number;
  readonly children: number;
}

export interface SlgFile {
  readonly path: string;
  /** In blocks, as SLG keeps it; bytes = sizeInBlocks × block size. */
  readonly sizeInBlocks: number;
}

export interface SlgStructure {
  /** Every directory, the root first, parents before children. */
  readonly dirs: readonly SlgDir[];
  /** Directories without subdirectories: where files go, and what data generation mkdirs. */
  readonly leaves: readonly string[];
  readonly files: readonly SlgFile[];
}

/**
 * Hadoop's StructureGenerator: a random tree where each directory with depth
 * budget left gets between minWidth and maxWidth subdirectories, each with a
 * depth budget drawn between two thirds of what remains and all of it; then
 * numOfFiles files, each in a random leaf, of Gaussian size around
 * avgFileSize blocks (never negative).
 */
export function generateSlgStructure(opts: SlgStructureOptions, rng: SeededRandom): SlgStructure {
  validate(opts);
  const dirs: SlgDir[] = [];
  const leaves: string[] = [];
  // Breadth-first keeps parents before children without recursion depth limits.
  const queue: { path: string; depth: number; budget: number }[] = [{ path: '', depth: 0, budget: opts.maxDepth }];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as (typeof queue)[number];
    let children = 0;
    if (node.budget > 0) {
      const remaining = node.budget - 1;
      const minDepth = Math.floor((remaining * 2) / 3);
      children = rng.intBetween(opts.minWidth, opts.maxWidth);
      for (let i = 0; i < children; i++) {
        const budget = remaining === 0 ? 0 : rng.intBetween(minDepth, remaining);
        queue.push({ path: node.path === '' ? `dir${i}` : `${node.path}/dir${i}`, depth: node.depth + 1, budget });
      }
    }
    dirs.push({ path: node.path, depth: node.depth, children });
    if (children === 0) leaves.push(node.path);
  }
  const files: SlgFile[] = [];
  for (let i = 0; i < opts.numOfFiles; i++) {
    const leaf = rng.pick(leaves);
    let size: number;
    do size = rng.gaussian() + opts.avgFileSize;
    while (size < 0);
    files.push({ path: leaf === '' ? `_file_${i}` : `${leaf}/_file_${i}`, sizeInBlocks: size });
  }
  return { dirs, leaves, files };
}

function validate(o: SlgStructureOptions): void {
  const ints: [string, number][] = [
    ['maxDepth', o.maxDepth],
    ['minWidth', o.minWidth],
    ['maxWidth', o.maxWidth],
    ['numOfFiles', o.numOfFiles],
  ];
  for (const [name, v] of ints) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (o.minWidth > o.maxWidth) throw new RangeError('minWidth must not exceed maxWidth');
  if (!(o.avgFileSize >= 0)) throw new RangeError('avgFileSize must be non-negative');
}

/** Joins a root and a relative SLG path. */
export function underRoot(root: string, rel: string): string {
  const base = root.endsWith('/') ? root.slice(0, -1) : root;
  return rel === '' ? base || '/' : `${base}/${rel}`;
}
