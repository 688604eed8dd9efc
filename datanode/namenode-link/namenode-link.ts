import { userInfo } from 'node:os';
import type { Logger } from 'pino';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { CallTimeoutError, RemoteError } from '../../protocol/ipc/ipc-errors';
import { DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { membershipUser } from '../../protocol/security/membership-proof';
import type { DatanodeIdentity } from '../identity';
import type { BlockStore } from '../store/block-store';
import { buildRegistration, storageReport, type DatanodeAddress } from './datanode-messages';

const D = hadoop.hdfs.datanode;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export interface LinkOptions {
  readonly host: string;
  readonly port: number;
  readonly identity: DatanodeIdentity;
  readonly address: DatanodeAddress;
  readonly store: BlockStore;
  readonly logger: Logger;
  readonly heartbeatIntervalMs: number;
  readonly xceiverCount: () => number;
  /** Runs a command from this namenode (never RegisterCommand, handled here). */
  readonly onCommand: (cmd: hadoop.hdfs.datanode.IDatanodeCommandProto) => void;
  /** The fleet's membership secret (the datanode key file); without it namenodes refuse this datanode. */
  readonly membershipKey: Buffer | undefined;
  /** Block keys from the registration answer and KeyUpdateCommands. */
  readonly onKeys: (keys: hadoop.hdfs.IExportedBlockKeysProto) => void;
  readonly onRegistered: (link: NamenodeLink) => void;
  readonly onLost: (link: NamenodeLink) => void;
}

/** The namenode forgot us (restart, or it asks): register again at once, no backoff. */
class ReRegister extends Error {
  override readonly name = 'ReRegister';
}

/**
 * How long a DatanodeProtocol call may go unanswered before the link drops
 * the connection and registers again: ten heartbeat intervals, at least
 * 5 s. Without it, an answer lost on a connection that stays open would
 * stop the heartbeats for good, and the namenode would declare this live
 * datanode dead (seen in test/e2e/datanode-kill: a pipeline peer of the
 * killed datanode went silent; the cause of the lost answer is not found).
 */
const callOptions = (heartbeatIntervalMs: number) => ({ timeoutMs: Math.max(10 * heartbeatIntervalMs, 5_000) });

/**
 * The DatanodeProtocol conversation with one namenode: versionRequest,
 * registerDatanode, then a heartbeat every interval. A namenode that is not
 * up yet, or goes away, is retried with exponential backoff (0.5 s to 30 s);
 * one that forgets the datanode (UnregisteredNodeException, RegisterCommand)
 * is re-registered. Reports are sent through report() by NamenodeFleet,
 * which picks one link for them.
 */
export class NamenodeLink {
  readonly #o: LinkOptions;
  readonly #call: { timeoutMs: number };
  #client: IpcClient | undefined;
  #registration: hadoop.hdfs.datanode.IDatanodeRegistrationProto | undefined;
  #poolId = '';
  #stopped = false;
  #wake: (() => void) | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(options: LinkOptions) {
    this.#o = options;
    this.#call = callOptions(options.heartbeatIntervalMs);
  }

  get address(): string {
    return `${this.#o.host}:${this.#o.port}`;
  }

  get registered(): boolean {
    return this.#registration !== undefined;
  }

  start(): void {
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#client?.close();
    await this.#running;
  }

  /** Calls a report method with this link's registration and block pool filled in. */
  async report<Req, Res>(
    method: 'blockReport' | 'blockReceivedAndDeleted' | 'reportBadBlocks',
    type: { encode(m: Req): { finish(): Uint8Array } },
    build: (registration: hadoop.hdfs.datanode.IDatanodeRegistrationProto, poolId: string) => Req,
    responseType: { decode(b: Uint8Array): Res },
  ): Promise<Res> {
    const client = this.#client;
    const registration = this.#registration;
    if (!client || !registration) throw new Error(`not registered with namenode ${this.address}`);
    try {
      return await client.call(method, type, build(registration, this.#poolId), responseType, this.#call);
    } catch (err) {
      if (isUnregistered(err)) client.close().catch(() => undefined);
      throw err;
    }
  }

  async #run(): Promise<void> {
    let backoff = MIN_BACKOFF_MS;
    while (!this.#stopped) {
      try {
        await this.#register();
        backoff = MIN_BACKOFF_MS;
        this.#o.onRegistered(this);
        await this.#heartbeats();
      } catch (err) {
        if (this.#stopped) break;
        const again = err instanceof ReRegister || isUnregistered(err);
        if (err instanceof CallTimeoutError) this.#o.logger.warn({ namenode: this.address, err }, 'namenode call unanswered: reconnecting');
        else this.#o.logger[again ? 'info' : 'debug']({ namenode: this.address, err: again ? undefined : err }, again ? 're-registering' : 'namenode unreachable; retrying');
        await this.#drop();
        if (!again) {
          await this.#sleep(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    }
    await this.#drop();
  }

  async #register(): Promise<void> {
    const key = this.#o.membershipKey;
    // A fresh proof per connection: its time and nonce are checked once, when the namenode first sees it.
    const user = key ? membershipUser(key, this.#o.identity.datanodeUuid) : userInfo().username;
    const client = await IpcClient.connect({ host: this.#o.host, port: this.#o.port, user, protocolName: DATANODE_PROTOCOL });
    this.#client = client;
    const version = await client.call('versionRequest', hadoop.hdfs.VersionRequestProto, {}, hadoop.hdfs.VersionResponseProto, this.#call);
    const registration = buildRegistration(this.#o.identity, this.#o.address, version.info);
    const answer = await client.call('registerDatanode', D.RegisterDatanodeRequestProto, { registration }, D.RegisterDatanodeResponseProto, this.#call);
    this.#poolId = version.info.blockPoolID;
    // The namenode may correct fields (Hadoop fills in the address it saw).
    this.#registration = answer.registration;
    this.#o.onKeys(answer.registration.keys);
    this.#o.logger.info({ namenode: this.address, blockPoolId: this.#poolId }, 'registered with namenode');
  }

  async #heartbeats(): Promise<void> {
    while (!this.#stopped) {
      const client = this.#client!;
      const response = await client.call(
        'sendHeartbeat',
        D.HeartbeatRequestProto,
        {
          registration: this.#registration!,
          reports: [await storageReport(this.#o.identity, this.#o.store)],
          xmitsInProgress: 0,
          xceiverCount: this.#o.xceiverCount(),
          failedVolumes: 0,
        },
        D.HeartbeatResponseProto,
        this.#call,
      );
      for (const cmd of response.cmds) {
        if (cmd.cmdType === D.DatanodeCommandProto.Type.RegisterCommand) throw new ReRegister();
        if (cmd.cmdType === D.DatanodeCommandProto.Type.KeyUpdateCommand) {
          if (cmd.keyUpdateCmd) this.#o.onKeys(cmd.keyUpdateCmd.keys);
          continue;
        }
        this.#o.onCommand(cmd);
      }
      await this.#sleep(this.#o.heartbeatIntervalMs);
    }
  }

  async #drop(): Promise<void> {
    const wasRegistered = this.#registration !== undefined;
    this.#registration = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => undefined);
    if (wasRegistered) this.#o.onLost(this);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

function isUnregistered(err: unknown): boolean {
  return err instanceof RemoteError && err.className === ExceptionClass.UnregisteredNode;
}
