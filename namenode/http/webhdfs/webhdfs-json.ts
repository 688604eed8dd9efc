import { AclScope, AclType, type AclEntry, type AclStatus } from '../../domain/acl';
import type { ContentSummary } from '../../domain/content-summary';
import type { DatanodeInfo } from '../../domain/datanode-info';
import type { DirectoryListing, FileStatus } from '../../domain/file-status';
import type { LocatedBlock, LocatedBlocks } from '../../domain/located-blocks';
import type { QuotaUsage, TypeQuotaInfo } from '../../domain/quota-usage';
import { STORAGE_TYPE_NAMES } from '../../domain/storage';
import type { ServerDefaults } from '../../domain/server-defaults';
import { DEFAULT_STORAGE_POLICY_ID, type BlockStoragePolicy } from '../../domain/storage-policies';
import { StorageType } from '../../domain/storage';

/**
 * The JSON bodies of Hadoop's JsonUtil, field for field, keys in its
 * TreeMap (alphabetical) order. Numbers are JSON numbers as Jackson writes
 * Java longs.
 */

/** FsPermission as JsonUtil prints it: octal, sticky bit included, no leading zeros. */
const octal = (perm: number): string => perm.toString(8);

const PATH_TYPE = { file: 'FILE', directory: 'DIRECTORY', symlink: 'SYMLINK' } as const;

export function fileStatusJson(s: FileStatus): Record<string, unknown> {
  return {
    accessTime: s.atime,
    ...(s.hasAcl ? { aclBit: true } : {}),
    blockSize: s.blockSize,
    // A file has none; an uncounted directory says -1, "unknown" to the Java client, as over IPC.
    childrenNum: s.childrenNum ?? (s.type === 'directory' ? -1 : 0),
    fileId: s.fileId,
    group: s.group,
    length: s.length,
    modificationTime: s.mtime,
    owner: s.owner,
    pathSuffix: s.name,
    permission: octal(s.permission),
    replication: s.replication,
    storagePolicy: s.storagePolicy,
    ...(s.symlink !== undefined ? { symlink: s.symlink } : {}),
    type: PATH_TYPE[s.type],
  };
}

export const fileStatusesJson = (entries: readonly FileStatus[]) => ({ FileStatuses: { FileStatus: entries.map(fileStatusJson) } });

/** LISTSTATUS_BATCH's page: the entries and how many remain (the client continues after the last name). */
export const directoryListingJson = (l: DirectoryListing) => ({
  DirectoryListing: { partialListing: fileStatusesJson(l.entries), remainingEntries: l.remaining },
});

export const contentSummaryJson = (c: ContentSummary) => ({
  ContentSummary: {
    directoryCount: c.directoryCount,
    // ContentSummary's erasure coding policy: nnfleet replicates every file.
    ecPolicy: 'Replicated',
    fileCount: c.fileCount,
    length: c.length,
    quota: c.quota,
    spaceConsumed: c.spaceConsumed,
    spaceQuota: c.spaceQuota,
    ...typeQuotaJson(c.typeQuotaInfos),
  },
});

/** JsonUtil's "typeQuota": each storage type with a quota, by its name. */
function typeQuotaJson(infos: readonly TypeQuotaInfo[] | undefined) {
  if (!infos || infos.length === 0) return {};
  return { typeQuota: Object.fromEntries(infos.map((i) => [STORAGE_TYPE_NAMES[i.type], { consumed: i.consumed, quota: i.quota }])) };
}

export const quotaUsageJson = (q: QuotaUsage) => ({
  QuotaUsage: { fileAndDirectoryCount: q.fileAndDirectoryCount, quota: q.quota, spaceConsumed: q.spaceConsumed, spaceQuota: q.spaceQuota, ...typeQuotaJson(q.typeQuotaInfos) },
});

const CHECKSUM_TYPE_ID = { CRC32C: 2 } as const;

export const serverDefaultsJson = (d: ServerDefaults) => ({
  FsServerDefaults: {
    blockSize: d.blockSize,
    bytesPerChecksum: d.bytesPerChecksum,
    // DataChecksum.Type's id, as JsonUtil writes it (CRC32C is 2).
    checksumType: CHECKSUM_TYPE_ID[d.checksumType],
    defaultStoragePolicyId: DEFAULT_STORAGE_POLICY_ID,
    encryptDataTransfer: d.encryptDataTransfer,
    fileBufferSize: d.fileBufferSize,
    // hadoop.security.key.provider.path: no key provider.
    keyProviderUri: '',
    replication: d.replication,
    trashInterval: d.trashInterval,
    writePacketSize: d.writePacketSize,
  },
});

/** StorageType.name(): DISK, SSD, ARCHIVE, RAM_DISK, PROVIDED, NVDIMM. */
const storageTypeName = (t: StorageType): string => ({ 1: 'DISK', 2: 'SSD', 3: 'ARCHIVE', 4: 'RAM_DISK', 5: 'PROVIDED', 6: 'NVDIMM' })[t] ?? 'DISK';

export const storagePolicyJson = (p: BlockStoragePolicy) => ({
  copyOnCreateFile: p.copyOnCreateFile,
  creationFallbacks: p.creationFallbacks.map(storageTypeName),
  id: p.id,
  name: p.name,
  replicationFallbacks: p.replicationFallbacks.map(storageTypeName),
  storageTypes: p.storageTypes.map(storageTypeName),
});

const ACL_TYPE = { [AclType.User]: 'user', [AclType.Group]: 'group', [AclType.Mask]: 'mask', [AclType.Other]: 'other' } as const;

/** FsAction.SYMBOL: "rwx", "r-x"… */
export const fsActionSymbol = (bits: number): string => `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;

/** AclEntry.toString(): `[default:]type:[name]:perm`. */
export const aclEntryText = (e: AclEntry): string =>
  `${e.scope === AclScope.Default ? 'default:' : ''}${ACL_TYPE[e.type]}:${e.name ?? ''}:${fsActionSymbol(e.permission)}`;

export const aclStatusJson = (a: AclStatus) => ({
  AclStatus: {
    ...(a.entries.length > 0 ? { aclBit: true } : {}),
    entries: a.entries.map(aclEntryText),
    group: a.group,
    owner: a.owner,
    permission: octal(a.permission),
    stickyBit: a.sticky,
  },
});

/** JsonUtil.toJsonMap(DatanodeInfo). */
function datanodeJson(d: DatanodeInfo): Record<string, unknown> {
  return {
    adminState: 'NORMAL',
    blockPoolUsed: d.blockPoolUsed,
    cacheCapacity: 0,
    cacheUsed: 0,
    capacity: d.capacity,
    dfsUsed: d.dfsUsed,
    hostName: d.hostName,
    infoPort: d.infoPort,
    infoSecurePort: 0,
    ipAddr: d.ipAddr,
    ipcPort: d.ipcPort,
    lastUpdate: d.lastHeartbeat,
    lastUpdateMonotonic: 0,
    name: `${d.ipAddr}:${d.xferPort}`,
    networkLocation: '/default-rack',
    remaining: d.remaining,
    storageID: d.uuid,
    xceiverCount: d.xceiverCount,
    xferPort: d.xferPort,
  };
}

function locatedBlockJson(lb: LocatedBlock, blockPoolId: string): Record<string, unknown> {
  return {
    block: { blockId: lb.block.blockId, blockPoolId, generationStamp: lb.block.genStamp, numBytes: lb.block.numBytes },
    blockToken: { urlString: '' },
    cachedLocations: [],
    isCorrupt: lb.corrupt,
    locations: lb.locations.map((l) => datanodeJson(l.datanode)),
    startOffset: lb.offset,
    storageTypes: lb.locations.map((l) => storageTypeName(l.storageType)),
  };
}

/** GET_BLOCK_LOCATIONS (the op older Java clients ask): LocatedBlocks as JsonUtil prints it. */
export const locatedBlocksJson = (l: LocatedBlocks, blockPoolId: string) => ({
  LocatedBlocks: {
    fileLength: l.fileLength,
    isLastBlockComplete: l.isLastBlockComplete,
    isUnderConstruction: l.underConstruction,
    lastLocatedBlock: l.lastBlock ? locatedBlockJson(l.lastBlock, blockPoolId) : null,
    locatedBlocks: l.blocks.map((b) => locatedBlockJson(b, blockPoolId)),
  },
});

/** GETFILEBLOCKLOCATIONS: BlockLocation[] as JsonUtil.toJsonString(BlockLocation[]) prints it. */
export const blockLocationsJson = (l: LocatedBlocks) => ({
  BlockLocations: {
    BlockLocation: l.blocks.map((b) => ({
      cachedHosts: [],
      corrupt: b.corrupt,
      hosts: b.locations.map((x) => x.datanode.hostName),
      length: b.block.numBytes,
      names: b.locations.map((x) => `${x.datanode.ipAddr}:${x.datanode.xferPort}`),
      offset: b.offset,
      storageIds: b.locations.map((x) => x.storageId),
      storageTypes: b.locations.map((x) => storageTypeName(x.storageType)),
      topologyPaths: b.locations.map((x) => `/default-rack/${x.datanode.ipAddr}:${x.datanode.xferPort}`),
    })),
  },
});

export const booleanJson = (b: boolean) => ({ boolean: b });
export const pathJson = (p: string) => ({ Path: p });
