import { hadoop } from '../generated/hadoop';
import { IpcClient } from '../ipc/client';
import { CLIENT_PROTOCOL } from '../ipc/wire-constants';
import type { MessageDecoder, MessageEncoder } from '../ipc/rpc-handler';
import { scanListing, type ListingSize } from './listing-scan';

const H = hadoop.hdfs;
const CREATE = 1;
const OVERWRITE = 2;
/** What a Hadoop client asks for when it opens a file: dfs.client.read.prefetch.size = 10 blocks. */
const OPEN_PREFETCH_BYTES = 10 * 128 * 1024 * 1024;

export type ExtendedBlock = hadoop.hdfs.ExtendedBlockProto.$Properties;
export type LocatedBlock = hadoop.hdfs.LocatedBlockProto.$Properties;
export type DatanodeInfo = hadoop.hdfs.DatanodeInfoProto.$Properties;

export interface CreateOptions {
  readonly overwrite?: boolean;
  readonly createParent?: boolean;
  readonly replication?: number;
  readonly blockSize?: number;
  /** The new file's mode (default 0644). */
  readonly permission?: number;
}

/** Counts RPCs by method, shared by every client of a run: the report's "RPCs sent". */
export class RpcCounter {
  readonly #calls = new Map<string, number>();

  add(method: string): void {
    this.#calls.set(method, (this.#calls.get(method) ?? 0) + 1);
  }

  /** Counts since the last drain, then starts again from zero (one phase each). */
  drain(): Record<string, number> {
    const out = Object.fromEntries([...this.#calls].sort(([a], [b]) => a.localeCompare(b)));
    this.#calls.clear();
    return out;
  }
}

/**
 * The ClientProtocol calls the load generator makes, over one Hadoop IPC
 * connection (the project's own protocol/ code). Each method is one RPC.
 */
export class NamenodeClient {
  constructor(
    readonly ipc: IpcClient,
    readonly address: string,
    /** Lease holder name, like DFSClient's "DFSClient_NONMAPREDUCE_…". */
    readonly clientName: string,
    readonly counter: RpcCounter,
  ) {}

  static async connect(address: string, user: string, clientName: string, counter: RpcCounter): Promise<NamenodeClient> {
    const [host, port] = splitAddress(address);
    const ipc = await IpcClient.connect({ host, port, user, protocolName: CLIENT_PROTOCOL });
    return new NamenodeClient(ipc, address, clientName, counter);
  }

  async getFileInfo(src: string): Promise<hadoop.hdfs.HdfsFileStatusProto.$Properties | undefined> {
    const res = await this.#call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto);
    return res.fs ?? undefined;
  }

  /** One page of a listing; `startAfter` continues a large directory. */
  async getListing(src: string, startAfter = new Uint8Array(0)): Promise<hadoop.hdfs.DirectoryListingProto.$Properties | undefined> {
    return H.GetListingResponseProto.decode(await this.#listingPage(src, startAfter)).dirList ?? undefined;
  }

  /**
   * One page of a listing, counted, not decoded (listing-scan.ts): what a
   * load generator asks, so its CPU goes to asking, not to building status
   * objects it drops. Undefined when the path does not exist.
   */
  async getListingSize(src: string, startAfter = new Uint8Array(0)): Promise<ListingSize | undefined> {
    return scanListing(await this.#listingPage(src, startAfter));
  }

  /** getListing's answer as bytes (GetListingResponseProto), for the two readers above. */
  #listingPage(src: string, startAfter: Uint8Array): Promise<Uint8Array> {
    this.counter.add('getListing');
    return this.ipc.callRaw('getListing', H.GetListingRequestProto.encode({ src, startAfter, needLocation: false }).finish());
  }

  /** open(): by default the first ten blocks' worth, as a Hadoop client asks on open. */
  async getBlockLocations(src: string, offset = 0, length = OPEN_PREFETCH_BYTES): Promise<hadoop.hdfs.LocatedBlocksProto.$Properties | undefined> {
    const res = await this.#call('getBlockLocations', H.GetBlockLocationsRequestProto, { src, offset, length }, H.GetBlockLocationsResponseProto);
    return res.locations ?? undefined;
  }

  /** The next block of a file being written; `previous` is the last one with its final length. */
  async addBlock(src: string, previous: ExtendedBlock | undefined, excludeNodes: readonly DatanodeInfo[] = []): Promise<LocatedBlock> {
    const res = await this.#call(
      'addBlock',
      H.AddBlockRequestProto,
      { src, clientName: this.clientName, excludeNodes: [...excludeNodes], ...(previous ? { previous } : {}) },
      H.AddBlockResponseProto,
    );
    return res.block;
  }

  /** Gives back a block whose pipeline could not be set up, before asking for another. */
  async abandonBlock(src: string, b: ExtendedBlock): Promise<void> {
    await this.#call('abandonBlock', H.AbandonBlockRequestProto, { src, b, holder: this.clientName }, H.AbandonBlockResponseProto);
  }

  async mkdirs(src: string, perm = 0o755): Promise<boolean> {
    const res = await this.#call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm }, createParent: true }, H.MkdirsResponseProto);
    return res.result;
  }

  async create(src: string, opts: CreateOptions = {}): Promise<void> {
    await this.#call(
      'create',
      H.CreateRequestProto,
      {
        src,
        masked: { perm: opts.permission ?? 0o644 },
        clientName: this.clientName,
        createFlag: CREATE | (opts.overwrite ? OVERWRITE : 0),
        createParent: opts.createParent ?? true,
        replication: opts.replication ?? 3,
        blockSize: opts.blockSize ?? 128 * 1024 * 1024,
      },
      H.CreateResponseProto,
    );
  }

  /** Closes a file; `last` is its last block with its final length. False: its blocks are not replicated yet. */
  async complete(src: string, last?: ExtendedBlock): Promise<boolean> {
    const res = await this.#call('complete', H.CompleteRequestProto, { src, clientName: this.clientName, ...(last ? { last } : {}) }, H.CompleteResponseProto);
    return res.result;
  }

  /** Reopens a file for append; `flags` are CreateFlagProto bits (APPEND 4, NEW_BLOCK 32). The partial last block to continue, if any. */
  async append(src: string, flags: number): Promise<LocatedBlock | undefined> {
    const res = await this.#call('append', H.AppendRequestProto, { src, clientName: this.clientName, flag: flags }, H.AppendResponseProto);
    return res.block ?? undefined;
  }

  /** A new generation stamp (and token) for a block whose pipeline is set up again: an append to it, a recovery. */
  async updateBlockForPipeline(block: ExtendedBlock): Promise<LocatedBlock> {
    const res = await this.#call('updateBlockForPipeline', H.UpdateBlockForPipelineRequestProto, { block, clientName: this.clientName }, H.UpdateBlockForPipelineResponseProto);
    return res.block;
  }

  /** The block now lives at `newBlock`'s stamp on `nodes`. */
  async updatePipeline(oldBlock: ExtendedBlock, newBlock: ExtendedBlock, nodes: readonly DatanodeInfo[], storageIDs: readonly string[]): Promise<void> {
    await this.#call(
      'updatePipeline',
      H.UpdatePipelineRequestProto,
      { clientName: this.clientName, oldBlock, newBlock, newNodes: nodes.map((n) => n.id), storageIDs: [...storageIDs] },
      H.UpdatePipelineResponseProto,
    );
  }

  async allowSnapshot(snapshotRoot: string): Promise<void> {
    await this.#call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot }, H.AllowSnapshotResponseProto);
  }

  /** The snapshot's path (ROOT/.snapshot/NAME). */
  async createSnapshot(snapshotRoot: string, snapshotName: string): Promise<string> {
    const res = await this.#call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot, snapshotName }, H.CreateSnapshotResponseProto);
    return res.snapshotPath;
  }

  async delete(src: string, recursive = false): Promise<boolean> {
    const res = await this.#call('delete', H.DeleteRequestProto, { src, recursive }, H.DeleteResponseProto);
    return res.result;
  }

  async rename(src: string, dst: string): Promise<boolean> {
    const res = await this.#call('rename', H.RenameRequestProto, { src, dst }, H.RenameResponseProto);
    return res.result;
  }

  async setStoragePolicy(src: string, policyName: string): Promise<void> {
    await this.#call('setStoragePolicy', H.SetStoragePolicyRequestProto, { src, policyName }, H.SetStoragePolicyResponseProto);
  }

  async setOwner(src: string, username: string, groupname: string): Promise<void> {
    await this.#call('setOwner', H.SetOwnerRequestProto, { src, username, groupname }, H.SetOwnerResponseProto);
  }

  async setPermission(src: string, perm: number): Promise<void> {
    await this.#call('setPermission', H.SetPermissionRequestProto, { src, permission: { perm } }, H.SetPermissionResponseProto);
  }

  async setReplication(src: string, replication: number): Promise<boolean> {
    const res = await this.#call('setReplication', H.SetReplicationRequestProto, { src, replication }, H.SetReplicationResponseProto);
    return res.result;
  }

  /** ClientProtocol.setQuota; -1 clears a quota, Long.MAX_VALUE (HdfsConstants.QUOTA_DONT_SET) leaves it. */
  async setQuota(path: string, namespaceQuota: number, storagespaceQuota: number): Promise<void> {
    await this.#call('setQuota', H.SetQuotaRequestProto, { path, namespaceQuota, storagespaceQuota }, H.SetQuotaResponseProto);
  }

  async getContentSummary(path: string): Promise<hadoop.hdfs.ContentSummaryProto.$Properties | undefined> {
    const res = await this.#call('getContentSummary', H.GetContentSummaryRequestProto, { path }, H.GetContentSummaryResponseProto);
    return res.summary ?? undefined;
  }

  close(): Promise<void> {
    return this.ipc.close();
  }

  #call<Req, Res>(method: string, reqType: MessageEncoder<Req>, req: Req, resType: MessageDecoder<Res>): Promise<Res> {
    this.counter.add(method);
    return this.ipc.call(method, reqType, req, resType);
  }
}

/** "host:port" → [host, port]; IPv6 literals in brackets. */
export function splitAddress(address: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`bad namenode address ${JSON.stringify(address)}: expected HOST:PORT`);
  }
  return [m[1] as string, port];
}
