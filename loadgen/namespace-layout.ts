/**
 * The flat namespace nnbench and the Spotify mix run over: `filesPerDir`
 * files per directory, file i in directory i / filesPerDir. Shared, so a
 * namespace built once (by `spotify`, or `nnbench --op create`) serves later
 * runs with `--useExisting`.
 */
export class NamespaceLayout {
  constructor(
    readonly root: string,
    readonly files: number,
    readonly filesPerDir: number,
  ) {
    if (!root.startsWith('/')) throw new RangeError('root must be an absolute path');
    if (!Number.isSafeInteger(files) || files < 0) throw new RangeError('files must be a non-negative integer');
    if (!Number.isSafeInteger(filesPerDir) || filesPerDir < 1) throw new RangeError('filesPerDir must be a positive integer');
  }

  get dirs(): number {
    return Math.ceil(this.files / this.filesPerDir);
  }

  dirPath(d: number): string {
    return `${this.#base()}/dir${d}`;
  }

  filePath(i: number): string {
    return `${this.dirPath(Math.floor(i / this.filesPerDir))}/file${i}`;
  }

  /** Directory `i` of an nnbench mkdirs run, beside the files of the same slot. */
  mkdirPath(i: number): string {
    return `${this.dirPath(Math.floor(i / this.filesPerDir))}/mkdir${i}`;
  }

  /**
   * A new entry `i` in an existing directory, round-robin over them, so
   * concurrent creates land in different parents instead of queueing on the
   * one parent row each create must update.
   */
  spreadPath(prefix: string, i: number): string {
    return `${this.dirPath(i % this.dirs)}/${prefix}${i}`;
  }

  allDirs(): string[] {
    return Array.from({ length: this.dirs }, (_, d) => this.dirPath(d));
  }

  /** Every file, interleaved across directories (dir0's first, dir1's first, …) so builders spread their writes. */
  allFiles(): string[] {
    const out: string[] = [];
    for (let j = 0; j < this.filesPerDir; j++) {
      for (let d = 0; d < this.dirs; d++) {
        const i = d * this.filesPerDir + j;
        if (i < this.files) out.push(this.filePath(i));
      }
    }
    return out;
  }

  #base(): string {
    return this.root === '/' ? '' : this.root.replace(/\/+$/, '');
  }
}
