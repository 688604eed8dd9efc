import { InodeType, type InodeRow } from '../../namenode/dal/inode-row';
import { DatanodeState, type DatanodeInfo } from '../../namenode/domain/datanode-info';
import type { Location } from '../../namenode/domain/located-blocks';

/** Entities for unit tests: sensible defaults, the fields a test cares about given. */
export const dirRow = (id: number, parentId: number, name: string, more: Partial<InodeRow> = {}): InodeRow => ({
  id,
  parentId,
  name,
  type: InodeType.Directory,
  permission: 0o755,
  owner: 'root',
  group: 'supergroup',
  mtime: 1,
  atime: 1,
  replication: 0,
  blockSize: 0,
  length: 0,
  storagePolicy: 0,
  symlink: null,
  ucClient: null,
  ucMachine: null,
  children: 0,
  acl: null,
  ...more,
});

export const fileRow = (id: number, parentId: number, name: string, more: Partial<InodeRow> = {}): InodeRow =>
  dirRow(id, parentId, name, { type: InodeType.File, permission: 0o644, replication: 3, blockSize: 128 * 1024 * 1024, ...more });

export const datanode = (uuid: string, more: Partial<DatanodeInfo> = {}): DatanodeInfo => ({
  uuid,
  ipAddr: `10.0.0.${uuid.replace(/\D/g, '') || '1'}`,
  hostName: `host-${uuid}`,
  xferPort: 9866,
  infoPort: 9864,
  ipcPort: 9867,
  capacity: 1e12,
  dfsUsed: 0,
  remaining: 1e12,
  blockPoolUsed: 0,
  nonDfsUsed: 0,
  xceiverCount: 0,
  lastHeartbeat: 1_000_000,
  state: DatanodeState.Normal,
  ...more,
});

export const location = (d: DatanodeInfo, storageId = `DS-${d.uuid}`): Location => ({ datanode: d, storageId, storageType: 1 });
