import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { bigIntToLong, int64ToBigInt, int64ToNumber } from '../../protocol/long-values';

const hdfs = hadoop.hdfs;

describe('generated Hadoop messages', () => {
  it('round-trips uint64 values above 2^53 exactly as Long', () => {
    const blockId = bigIntToLong(2n ** 64n - 5n);
    const bytes = hdfs.ExtendedBlockProto.encode({ poolId: 'BP-1', blockId, generationStamp: 1001, numBytes: 2 ** 40 }).finish();
    const decoded = hdfs.ExtendedBlockProto.decode(bytes);
    expect(Long.isLong(decoded.blockId)).toBe(true);
    expect(int64ToBigInt(decoded.blockId)).toBe(2n ** 64n - 5n);
    expect(int64ToNumber(decoded.generationStamp)).toBe(1001);
    expect(int64ToNumber(decoded.numBytes)).toBe(2 ** 40);
    expect(() => int64ToNumber(decoded.blockId)).toThrow(RangeError);
  });

  it('applies Hadoop defaults to absent optional fields', () => {
    const status = hdfs.HdfsFileStatusProto.decode(
      hdfs.HdfsFileStatusProto.encode({
        fileType: hdfs.HdfsFileStatusProto.FileType.IS_DIR,
        path: new Uint8Array(0),
        length: 0,
        permission: { perm: 0o755 },
        owner: 'alice',
        group: 'supergroup',
        modificationTime: 1,
        accessTime: 0,
      }).finish(),
    );
    expect(status.childrenNum).toBe(-1);
    expect(int64ToNumber(status.fileId)).toBe(0);
    expect(hadoop.common.RpcRequestHeaderProto.decode(
      hadoop.common.RpcRequestHeaderProto.encode({ callId: 0, clientId: new Uint8Array(16) }).finish(),
    ).retryCount).toBe(-1);
    const defaults = hdfs.FsServerDefaultsProto.decode(
      hdfs.FsServerDefaultsProto.encode({ blockSize: 134217728, bytesPerChecksum: 512, writePacketSize: 65536, replication: 3, fileBufferSize: 4096 }).finish(),
    );
    expect(defaults.checksumType).toBe(hdfs.ChecksumTypeProto.CHECKSUM_CRC32);
  });

  it('refuses to decode a message missing a required field', () => {
    expect(() => hdfs.GetFileInfoRequestProto.decode(new Uint8Array(0))).toThrow(/missing required 'src'/);
  });

  it('uses Hadoop field numbers (getFileInfo src is field 1, a string)', () => {
    expect([...hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish()]).toEqual([0x0a, 0x01, 0x2f]);
  });

  it('includes DatanodeProtocol and datatransfer messages', () => {
    expect(hadoop.hdfs.datanode.HeartbeatRequestProto).toBeDefined();
    expect(hadoop.hdfs.datanode.BlockReportRequestProto).toBeDefined();
    expect(hdfs.PipelineAckProto).toBeDefined();
    expect(hdfs.OpWriteBlockProto).toBeDefined();
    expect(hdfs.VersionResponseProto).toBeDefined();
  });
});
