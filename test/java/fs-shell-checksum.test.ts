import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { compositeCrc, md5md5Crc } from '../harness/hdfs-checksums';
import { fsShellBatch, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { upFleet, type UpFleet } from '../harness/up-fleet';

/** `hdfs dfs -checksum`'s value: bytesPerCRC, crcPerBlock (0 for one block), then the MD5 computed from the bytes alone. */
function printedChecksum(data: Buffer, blockSize: number, bytesPerCrc = 512): string {
  const head = Buffer.alloc(12);
  head.writeInt32BE(bytesPerCrc, 0);
  head.writeBigInt64BE(BigInt(data.length > blockSize ? blockSize / bytesPerCrc : 0), 4);
  return head.toString('hex') + md5md5Crc('CRC32C', data, blockSize, bytesPerCrc);
}

/** The Java client writes CRC32C chunk checksums: its files' checksums are HDFS's MD5-of-MD5-of-CRC32C. */
describe('Java hdfs dfs -checksum', () => {
  let up: UpFleet;
  let local: string;
  let as: JavaRunOptions;

  beforeAll(async () => {
    up = await upFleet('nnjava-cks', { namenodes: 1, datanodes: 3 });
    local = mkdtempSync(join(tmpdir(), 'nnjava-cks-'));
    as = { confDir: up.fleet.clientConfigDir, user: userInfo().username };
  }, 120_000);

  afterAll(async () => {
    await up?.stop();
    rmSync(local, { recursive: true, force: true });
  });

  test.each([12, 1 << 20, 3 * (1 << 20) + 100])('a %i-byte file in 1 MiB blocks: MD5-of-MD5-of-CRC32C as HDFS computes it', async (n) => {
    const data = payload(n, n);
    writeFileSync(join(local, `f${n}`), data);
    const r = await fsShellBatch([['-D', 'dfs.blocksize=1048576', '-put', join(local, `f${n}`), `/cks${n}`], ['-checksum', `/cks${n}`]], as);
    expect(r[0]!.code).toBe(0);
    const blocks = Math.ceil(n / (1 << 20));
    expect(r[1]!.stdout.trim()).toBe(`/cks${n}\tMD5-of-${blocks > 1 ? 2048 : 0}MD5-of-512CRC32C\t${printedChecksum(data, 1 << 20)}`);
  }, 60_000);

  test('COMPOSITE_CRC when the client asks (dfs.checksum.combine.mode): the CRC32C of the whole file, whatever its blocks', async () => {
    const n = 2 * (1 << 20) + 777;
    const data = payload(n, 99);
    writeFileSync(join(local, 'composite'), data);
    const r = await fsShellBatch(
      [
        ['-D', 'dfs.blocksize=1048576', '-put', join(local, 'composite'), '/composite'],
        ['-D', 'dfs.checksum.combine.mode=COMPOSITE_CRC', '-checksum', '/composite'],
      ],
      as,
    );
    expect(r[0]!.code).toBe(0);
    expect(r[1]!.stdout.trim()).toBe(`/composite\tCOMPOSITE-CRC32C\t${compositeCrc(data).toString('hex')}`);
  }, 60_000);
});
