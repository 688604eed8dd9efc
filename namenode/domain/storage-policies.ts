import { StorageType } from './storage';

/**
 * One of HDFS's block storage policies (BlockStoragePolicy): where a new
 * block's replicas go, and what to use when those storages are full (on
 * creation) or missing (on re-replication).
 */
export interface BlockStoragePolicy {
  readonly id: number;
  readonly name: string;
  readonly storageTypes: readonly StorageType[];
  readonly creationFallbacks: readonly StorageType[];
  readonly replicationFallbacks: readonly StorageType[];
  /** Only settable when a file is created (LAZY_PERSIST): never on an existing file. */
  readonly copyOnCreateFile: boolean;
}

/** HdfsConstants.BLOCK_STORAGE_POLICY_ID_UNSPECIFIED: the inode names no policy of its own. */
export const STORAGE_POLICY_UNSPECIFIED = 0;

const { Disk, Ssd, Archive, RamDisk, Provided, Nvdimm } = StorageType;

const policy = (
  id: number,
  name: string,
  storageTypes: StorageType[],
  creationFallbacks: StorageType[],
  replicationFallbacks: StorageType[],
  copyOnCreateFile = false,
): BlockStoragePolicy => ({ id, name, storageTypes, creationFallbacks, replicationFallbacks, copyOnCreateFile });

/**
 * Hadoop 3.4's BlockStoragePolicySuite.createDefaultSuite, ids and storage
 * types as HdfsConstants has them, in id order (getStoragePolicies answers
 * them so).
 */
export const BLOCK_STORAGE_POLICIES: readonly BlockStoragePolicy[] = [
  policy(1, 'PROVIDED', [Provided, Disk], [Provided, Disk], [Provided, Disk]),
  policy(2, 'COLD', [Archive], [], []),
  policy(5, 'WARM', [Disk, Archive], [Disk, Archive], [Disk, Archive]),
  policy(7, 'HOT', [Disk], [], [Archive]),
  policy(10, 'ONE_SSD', [Ssd, Disk], [Ssd, Disk], [Ssd, Disk]),
  policy(12, 'ALL_SSD', [Ssd], [Disk], [Disk]),
  policy(14, 'ALL_NVDIMM', [Nvdimm], [Disk], [Disk]),
  policy(15, 'LAZY_PERSIST', [RamDisk, Disk], [Disk], [Disk], true),
];

/** The suite's default: what an inode without a policy anywhere above it gets. */
export const DEFAULT_STORAGE_POLICY_ID = 7;

/** The policy with this id; the default for UNSPECIFIED, as BlockStoragePolicySuite.getPolicy. */
export function storagePolicyById(id: number): BlockStoragePolicy | undefined {
  const wanted = id === STORAGE_POLICY_UNSPECIFIED ? DEFAULT_STORAGE_POLICY_ID : id;
  return BLOCK_STORAGE_POLICIES.find((p) => p.id === wanted);
}

/** Names match case-insensitively, as BlockStoragePolicySuite.getPolicy(String). */
export function storagePolicyByName(name: string): BlockStoragePolicy | undefined {
  const upper = name.toUpperCase();
  return BLOCK_STORAGE_POLICIES.find((p) => p.name === upper);
}

/**
 * The policy an inode lives under (INode.getStoragePolicyID): its own, or
 * the nearest ancestor's; UNSPECIFIED when none on the way names one.
 * `policies` run from the root down to the inode.
 */
export function effectiveStoragePolicy(policies: readonly number[]): number {
  for (let i = policies.length - 1; i >= 0; i--) {
    const id = policies[i] as number;
    if (id !== STORAGE_POLICY_UNSPECIFIED) return id;
  }
  return STORAGE_POLICY_UNSPECIFIED;
}

/**
 * Whether a policy puts new blocks on shared storage (nnfleet's Swift
 * gateways): one whose first storage type is PROVIDED. Every other policy
 * (HOT, the default, among them) keeps them on the datanodes' own disks.
 */
export function prefersSharedStorage(policyId: number): boolean {
  return storagePolicyById(policyId)?.storageTypes[0] === StorageType.Provided;
}
