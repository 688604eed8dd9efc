import { idToken, keyOf, keyToken, rowBytes, type InodeRow } from '../dal/inode-row';
import { TokenCache } from './token-cache';

export { rowBytes } from '../dal/inode-row';

const tokensOf = (r: InodeRow): string[] => [keyToken(r), idToken(r.id)];
/**
 * Inode rows are kept in the shared TokenCache under their key itself
 * (`keyOf`, `<parent id>/<name>`: it begins with a digit), the other kinds
 * under keys beginning with a letter (`b`, `d`, `l`): a lookup builds no
 * second string per component.
 */
const isRowKey = (entry: string): boolean => {
  const c = entry.charCodeAt(0);
  return c >= 48 && c <= 57;
};

/**
 * Inode rows by key (`keyOf`), named by their key and id tokens, in the
 * shared bounded TokenCache (other entries, file blocks and listings, live
 * beside them under other keys): a row read from the database may be
 * installed only if neither its key nor its id was invalidated since the
 * read began, and no lapse (`clear`) happened since.
 */
export class InodeRowCache {
  readonly tokens: TokenCache;

  constructor(maxBytes: number) {
    this.tokens = new TokenCache(maxBytes);
  }

  get epoch(): number {
    return this.tokens.epoch;
  }

  get entries(): number {
    return this.tokens.entries;
  }

  get bytes(): number {
    return this.tokens.bytes;
  }

  get(key: string): InodeRow | undefined {
    return this.tokens.get<InodeRow>(key);
  }

  /** True when a read begun at `e0` may keep this row. */
  mayInstall(row: InodeRow, e0: number): boolean {
    return this.tokens.mayInstall(tokensOf(row), e0);
  }

  /** True when the row's key or id was invalidated after epoch `e0`. */
  invalidatedSince(row: InodeRow, e0: number): boolean {
    return this.tokens.invalidatedSince(tokensOf(row), e0);
  }

  /** True when a write that held `own` from epoch `heldAt` may keep this row it read under its locks (TokenCache.keptByWriter). */
  keptByWriter(row: InodeRow, heldAt: number, own: ReadonlySet<string>): boolean {
    return this.tokens.keptByWriter(tokensOf(row), heldAt, own);
  }

  install(row: InodeRow): void {
    // A row moved to another key replaces its old entry.
    this.tokens.dropNamed(idToken(row.id), isRowKey);
    this.tokens.install(keyOf(row), row, rowBytes(row), tokensOf(row));
  }

  /** Drops what the tokens name and records them; answers how many entries went. */
  invalidate(tokens: readonly string[]): number {
    return this.tokens.invalidate(tokens);
  }

  /** A lapse: everything goes, and reads begun before install nothing. */
  clear(): void {
    this.tokens.clear();
  }
}
