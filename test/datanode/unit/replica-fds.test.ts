import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InlineWrites } from '../../../datanode/store/inline-writes';
import { ReplicaFdOps, writeFullySync } from '../../../datanode/store/replica-fds';

/** Descriptors this process has open: a failed open must not leave one behind. */
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe.each([true, false])('ReplicaFdOps (inline %s)', (enabled) => {
  let dir: string;
  let ops: ReplicaFdOps;
  let inline: InlineWrites;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nnfleet-fds-'));
    inline = new InlineWrites({ enabled });
    ops = new ReplicaFdOps(inline);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens, writes, reads back, closes and renames both files the way the policy says', async () => {
    const fds = await ops.openBoth(join(dir, 'blk_1'), 'w+', join(dir, 'blk_1_1.meta'), 'w');
    await ops.writeBoth(fds, Buffer.from('hello world'), 0, Buffer.from('meta'), 0);
    await ops.writeBoth(fds, Buffer.from('!'), 11, Buffer.alloc(0), 4);
    expect((await ops.readAt(fds.data, 6, 100)).toString()).toBe('world!');
    await ops.datasyncBoth(fds);
    await ops.closeBoth(fds);
    const to = join(dir, 'finalized', 'subdir0');
    await ops.renameBoth(to, [join(dir, 'blk_1'), join(to, 'blk_1')], [join(dir, 'blk_1_1.meta'), join(to, 'blk_1_1.meta')]);
    expect(readFileSync(join(to, 'blk_1'), 'utf8')).toBe('hello world!');
    expect(readFileSync(join(to, 'blk_1_1.meta'), 'utf8')).toBe('meta');
    expect(existsSync(join(dir, 'blk_1'))).toBe(false);
    expect(enabled ? inline.stats.inline : inline.stats.pooled).toBe(5);
  });

  it('closes the data file when the meta file cannot be opened, and throws that error', async () => {
    const before = openFds();
    await expect(ops.openBoth(join(dir, 'blk_2'), 'w+', join(dir, 'missing', 'blk_2_1.meta'), 'w')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(openFds()).toBe(before);
  });

  it('a rename that fails for another reason than a missing directory throws it', async () => {
    writeFileSync(join(dir, 'a'), 'x');
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'y');
    await expect(ops.renameBoth(notADir, [join(dir, 'a'), join(notADir, 'a')])).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('x');
  });
});

describe('writeFullySync', () => {
  it('writes the whole buffer at the position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnfleet-inline-'));
    try {
      const path = join(dir, 'f');
      const fd = openSync(path, 'w+');
      try {
        writeFullySync(fd, Buffer.from('hello'), 0);
        writeFullySync(fd, Buffer.from('world'), 3);
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(path, 'utf8')).toBe('helworld');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
