import { STORAGE_TYPE_NAMES, StorageType } from './storage';
import { storagePolicyById } from './storage-policies';

/** HdfsConstants.QUOTA_RESET: clears a quota. */
export const QUOTA_RESET = -1;
/** HdfsConstants.QUOTA_DONT_SET (Long.MAX_VALUE): leaves a quota as it is. */
export const QUOTA_DONT_SET = 9223372036854775807n;

/** A counted dimension of a quota directory's usage (quota_limits.dim, quota_usage.dim). */
export type QuotaDim = number;
export const NAMESPACE_DIM: QuotaDim = 0;
export const STORAGESPACE_DIM: QuotaDim = 1;
export const typeDim = (t: StorageType): QuotaDim => 10 + t;
export const dimType = (dim: QuotaDim): StorageType | undefined => (dim >= 10 ? ((dim - 10) as StorageType) : undefined);

/** StorageType.getTypesSupportingQuota(): every type but the transient RAM_DISK, in enum order. */
export const TYPES_SUPPORTING_QUOTA: readonly StorageType[] = [StorageType.Ssd, StorageType.Disk, StorageType.Archive, StorageType.Provided, StorageType.Nvdimm];

/** A change of usage, by dimension (absent: 0). */
export type UsageDelta = ReadonlyMap<QuotaDim, number>;

/** What a file (or part of one) charges: namespace entries, and bytes on disk before replication. */
export interface Charge {
  readonly namespace: number;
  /** Bytes before replication (blocks under construction at their preferred size). */
  readonly bytes: number;
  readonly replication: number;
  /** The effective storage policy id (0: unspecified, the default). */
  readonly storagePolicy: number;
}

/**
 * BlockStoragePolicy.chooseStorageTypes: one storage type per replica, the
 * policy's types in order (transient ones skipped), then its last type.
 */
export function chooseStorageTypes(policyId: number, replication: number): StorageType[] {
  const types = storagePolicyById(policyId)?.storageTypes ?? [StorageType.Disk];
  const chosen: StorageType[] = [];
  for (const t of types) {
    if (chosen.length >= replication) break;
    if (t !== StorageType.RamDisk) chosen.push(t);
  }
  const last = types[types.length - 1] as StorageType;
  if (last !== StorageType.RamDisk) while (chosen.length < replication) chosen.push(last);
  return chosen;
}

/** The usage a charge makes, as HDFS's QuotaCounts: namespace, storage space (bytes × replication), and per storage type. */
export function usageOf(charges: readonly Charge[], sign = 1): Map<QuotaDim, number> {
  const out = new Map<QuotaDim, number>();
  const add = (dim: QuotaDim, n: number) => {
    if (n !== 0) out.set(dim, (out.get(dim) ?? 0) + sign * n);
  };
  for (const c of charges) {
    add(NAMESPACE_DIM, c.namespace);
    add(STORAGESPACE_DIM, c.bytes * c.replication);
    if (c.bytes !== 0) for (const t of chooseStorageTypes(c.storagePolicy, c.replication)) add(typeDim(t), c.bytes);
  }
  return out;
}

export function sumUsage(...deltas: readonly UsageDelta[]): Map<QuotaDim, number> {
  const out = new Map<QuotaDim, number>();
  for (const d of deltas) for (const [dim, n] of d) out.set(dim, (out.get(dim) ?? 0) + n);
  for (const [dim, n] of out) if (n === 0) out.delete(dim);
  return out;
}

export const negateUsage = (d: UsageDelta): Map<QuotaDim, number> => new Map([...d].map(([dim, n]) => [dim, -n]));

const PREFIXES = ['K', 'M', 'G', 'T', 'P', 'E'];

/** StringUtils.TraditionalBinaryPrefix.long2String(n, unit, 2). */
export function long2String(n: number, unit: string): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (abs < 1024) return `${sign}${abs}${unit === '' ? '' : ` ${unit}`}`;
  let i = 0;
  while (i + 1 < PREFIXES.length && abs >= 1024 ** (i + 2)) i++;
  const value = 1024 ** (i + 1);
  let text: string;
  if (abs % value === 0) text = String(abs / value);
  else {
    text = (abs / value).toFixed(2);
    if (text.startsWith('1024') && i + 1 < PREFIXES.length) {
      i++;
      text = (abs / 1024 ** (i + 1)).toFixed(2);
    }
  }
  return `${sign}${text} ${PREFIXES[i] as string}${unit}`;
}

/** The exception HDFS's DirectoryWithQuotaFeature.verifyQuota throws for `dim` of the directory at `path`. */
export function quotaExceededMessage(dim: QuotaDim, path: string, quota: number, count: number): { kind: 'NSQuotaExceeded' | 'DSQuotaExceeded' | 'QuotaByStorageTypeExceeded'; message: string } {
  if (dim === NAMESPACE_DIM) {
    return { kind: 'NSQuotaExceeded', message: `The NameSpace quota (directories and files) of directory ${path} is exceeded: quota=${quota} file count=${count}` };
  }
  if (dim === STORAGESPACE_DIM) {
    return {
      kind: 'DSQuotaExceeded',
      message: `The DiskSpace quota of ${path} is exceeded: quota = ${quota} B = ${long2String(quota, 'B')} but diskspace consumed = ${count} B = ${long2String(count, 'B')}`,
    };
  }
  const type = STORAGE_TYPE_NAMES[dimType(dim) as StorageType];
  return {
    kind: 'QuotaByStorageTypeExceeded',
    message: `Quota by storage type : ${type} on path : ${path} is exceeded. quota = ${long2String(quota, 'B')} but space consumed = ${long2String(count, 'B')}`,
  };
}

/** HDFS's check order (verifyNamespaceQuota, verifyStoragespaceQuota, verifyQuotaByStorageType). */
export const dimOrder = (a: QuotaDim, b: QuotaDim): number => a - b;
