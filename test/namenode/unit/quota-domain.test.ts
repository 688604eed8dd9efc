import { chooseStorageTypes, long2String, quotaExceededMessage, STORAGESPACE_DIM, typeDim, usageOf } from '../../../namenode/domain/quota';
import { StorageType } from '../../../namenode/domain/storage';
import { dealAllowance } from '../../../namenode/quota/usage-ledger';

test('long2String prints as Hadoop\'s TraditionalBinaryPrefix does', () => {
  expect(long2String(10, 'B')).toBe('10 B');
  expect(long2String(1023, 'B')).toBe('1023 B');
  expect(long2String(1024, 'B')).toBe('1 KB');
  expect(long2String(402653184, 'B')).toBe('384 MB');
  expect(long2String(1048676, 'B')).toBe('1.00 MB');
  expect(long2String(1536, 'B')).toBe('1.50 KB');
  expect(long2String(1048575, 'B')).toBe('1.00 MB');
  expect(long2String(-2048, 'B')).toBe('-2 KB');
});

test('chooseStorageTypes: the policy\'s types in order, then its last; RAM_DISK never counted', () => {
  expect(chooseStorageTypes(0, 3)).toEqual([StorageType.Disk, StorageType.Disk, StorageType.Disk]);
  expect(chooseStorageTypes(10, 3)).toEqual([StorageType.Ssd, StorageType.Disk, StorageType.Disk]);
  expect(chooseStorageTypes(15, 2)).toEqual([StorageType.Disk, StorageType.Disk]);
  expect(chooseStorageTypes(5, 1)).toEqual([StorageType.Disk]);
});

test('usage of files: storage space is bytes x replication, each type its replicas\' bytes', () => {
  const u = usageOf([{ namespace: 1, bytes: 100, replication: 3, storagePolicy: 10 }]);
  expect(Object.fromEntries(u)).toEqual({ 0: 1, [STORAGESPACE_DIM]: 300, [typeDim(StorageType.Ssd)]: 100, [typeDim(StorageType.Disk)]: 200 });
});

test('the exceptions\' messages are Hadoop\'s', () => {
  expect(quotaExceededMessage(0, '/q', 3, 4).message).toBe('The NameSpace quota (directories and files) of directory /q is exceeded: quota=3 file count=4');
  expect(quotaExceededMessage(typeDim(StorageType.Ssd), '/q', 1024, 3072)).toEqual({
    kind: 'QuotaByStorageTypeExceeded',
    message: 'Quota by storage type : SSD on path : /q is exceeded. quota = 1 KB but space consumed = 3 KB',
  });
});

test('dealAllowance gives the stripes what the quota leaves, never more, never below zero', () => {
  const rows = Array.from({ length: 8 }, (_, stripe) => ({ dirId: 1, dim: 0, stripe, used: stripe === 0 ? 10 : 1, avail: 0 }));
  const dealt = dealAllowance(rows, 100);
  expect(dealt.reduce((n, r) => n + r.avail, 0)).toBe(100 - 17);
  expect(Math.min(...dealt.map((r) => r.avail))).toBeGreaterThanOrEqual(10);
  expect(dealAllowance(rows, 5).every((r) => r.avail === 0)).toBe(true);
});
