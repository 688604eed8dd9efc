import { InodeRowCache, rowBytes } from '../../../namenode/cache/inode-row-cache';
import { idToken, keyToken, type InodeRow } from '../../../namenode/dal/inode-row';
import { dirRow } from '../../fakes/row-fixtures';

const row = (id: number, parentId: number, name: string): InodeRow => dirRow(id, parentId, name);

describe('InodeRowCache', () => {
  test('a read begun before an invalidation of the row installs nothing; one begun after may', () => {
    const c = new InodeRowCache(1 << 20);
    const r = row(5, 1, 'a');
    const e0 = c.epoch;
    c.invalidate([idToken(5)]);
    expect(c.mayInstall(r, e0)).toBe(false);
    expect(c.mayInstall(r, c.epoch)).toBe(true);
    const e1 = c.epoch;
    c.invalidate([keyToken(r)]);
    expect(c.mayInstall(r, e1)).toBe(false);
  });

  test('invalidation by id or by key drops the entry; a lapse drops everything and refuses older reads', () => {
    const c = new InodeRowCache(1 << 20);
    c.install(row(5, 1, 'a'));
    c.install(row(6, 5, 'b'));
    c.invalidate([idToken(5)]);
    expect(c.get('1/a')).toBeUndefined();
    c.invalidate([keyToken({ parentId: 5, name: 'b' })]);
    expect(c.get('5/b')).toBeUndefined();
    c.install(row(7, 1, 'c'));
    const e0 = c.epoch;
    c.clear();
    expect(c.entries).toBe(0);
    expect(c.mayInstall(row(8, 1, 'd'), e0)).toBe(false);
  });

  test('a row served from memory before a lapse counts as invalidated for the lookup that served it (the lapse wiped the records)', () => {
    const c = new InodeRowCache(1 << 20);
    const r = row(5, 1, 'a');
    c.install(r);
    const e0 = c.epoch;
    expect(c.invalidatedSince(r, e0)).toBe(false);
    // An invalidation of the row, then a lapse and a new lease, while the lookup read its other keys.
    c.invalidate([idToken(5)]);
    c.clear();
    c.clear();
    expect(c.invalidatedSince(r, e0)).toBe(true);
    expect(c.invalidatedSince(r, c.epoch)).toBe(false);
  });

  test('is bounded in bytes, dropping first what was not used since the sweep last passed (CLOCK)', () => {
    const one = rowBytes(row(1, 1, 'x1'));
    const c = new InodeRowCache(3 * one);
    for (let i = 1; i <= 3; i++) c.install(row(i, 1, `x${i}`));
    c.get('1/x1');
    c.install(row(4, 1, 'x4'));
    expect(c.get('1/x2')).toBeUndefined();
    expect(c.get('1/x1')?.id).toBe(1);
    expect(c.bytes).toBeLessThanOrEqual(3 * one);
    // A row moved to another key replaces its old entry.
    c.install(row(1, 1, 'y1'));
    expect(c.get('1/x1')).toBeUndefined();
    expect(c.get('1/y1')?.id).toBe(1);
  });

  test('a write sent with its COMMIT holds its tokens: entries go at once, nothing is installed until it is answered, nor by reads begun before', () => {
    const c = new InodeRowCache(1 << 20);
    const r = row(5, 1, 'a');
    c.install(r);
    const e0 = c.epoch;
    c.tokens.hold([idToken(5)]);
    expect(c.get('1/a')).toBeUndefined();
    // A lookup that served the row from memory before the hold reads again.
    expect(c.invalidatedSince(r, e0)).toBe(true);
    // A read begun after the hold may have read the row before the write landed.
    expect(c.mayInstall(r, c.epoch)).toBe(false);
    const during = c.epoch;
    // Two writes of one row in flight: held until both are answered.
    c.tokens.hold([idToken(5)]);
    c.tokens.release([idToken(5)]);
    expect(c.mayInstall(r, c.epoch)).toBe(false);
    c.tokens.release([idToken(5)]);
    expect(c.mayInstall(r, e0)).toBe(false);
    expect(c.mayInstall(r, during)).toBe(false);
    expect(c.mayInstall(r, c.epoch)).toBe(true);
    // Other rows are not held.
    expect(c.mayInstall(row(6, 1, 'b'), e0)).toBe(true);
  });
  describe("a write's rows read back under its locks (keptByWriter)", () => {
    const dir = row(5, 1, 'a');
    const own = new Set([idToken(5)]);
    const held = (c: InodeRowCache): number => {
      c.tokens.hold([...own]);
      return c.epoch;
    };

    test('kept when nothing came between the hold and the answer', () => {
      const c = new InodeRowCache(1 << 20);
      c.install(dir);
      const at = held(c);
      expect(c.get('1/a')).toBeUndefined();
      expect(c.keptByWriter(dir, at, own)).toBe(true);
    });

    test('not kept when another write invalidated the row after the hold, even one already answered', () => {
      const c = new InodeRowCache(1 << 20);
      const at = held(c);
      c.tokens.hold([idToken(5)]);
      c.tokens.release([idToken(5)]);
      expect(c.keptByWriter(dir, at, own)).toBe(false);
      const c2 = new InodeRowCache(1 << 20);
      const at2 = held(c2);
      c2.invalidate([keyToken(dir)]);
      expect(c2.keptByWriter(dir, at2, own)).toBe(false);
    });

    test('not kept while another write naming the row is in flight here, whenever it began', () => {
      const before = new InodeRowCache(1 << 20);
      before.tokens.hold([keyToken(dir)]);
      const at = held(before);
      expect(before.keptByWriter(dir, at, own)).toBe(false);
      const during = new InodeRowCache(1 << 20);
      const at2 = held(during);
      during.tokens.hold([idToken(5)]);
      expect(during.keptByWriter(dir, at2, own)).toBe(false);
    });

    test('not kept after a lapse', () => {
      const c = new InodeRowCache(1 << 20);
      const at = held(c);
      c.clear();
      expect(c.keptByWriter(dir, at, own)).toBe(false);
    });
  });
});
