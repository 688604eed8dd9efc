import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { hadoop } from '../../protocol/generated/hadoop';
import { xferAddress } from '../../protocol/datatransfer/socket-io';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';
import type { TransferContext } from './transfer-context';

/** Hadoop's dfs.replication.max: no pipeline or transfer names more datanodes. */
export const MAX_TARGETS = 512;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A target a peer named that this datanode will not dial. */
export class BadTargetError extends Error {
  constructor(address: string, why: string) {
    super(`target ${address} refused: ${why}`);
    this.name = 'BadTargetError';
  }
}

/**
 * Targets of a WRITE_BLOCK or TRANSFER_BLOCK come from the peer: each must
 * be a plain host (IP or DNS name) and a port, and never this datanode
 * itself (a loop that would make it write over its own replica). Whether
 * they are registered datanodes is the namenode's to know, not ours.
 */
export async function checkTargets(ctx: TransferContext, targets: readonly hadoop.hdfs.IDatanodeInfoProto[]): Promise<void> {
  if (targets.length > MAX_TARGETS) throw new ProtocolError(`${targets.length} targets`);
  for (const target of targets) {
    const { host, port, address } = xferAddress(target.id ?? {});
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BadTargetError(address, 'not a port');
    if (isIP(host) === 0 && !HOST_NAME.test(host)) throw new BadTargetError(address, 'not a host');
    if (await isSelf(ctx, host, port)) throw new BadTargetError(address, 'this datanode itself');
  }
}

async function isSelf(ctx: TransferContext, host: string, port: number): Promise<boolean> {
  const self = ctx.selfAddress();
  if (port !== self.port) return false;
  const ip = isIP(host) !== 0 ? host : await lookup(host).then((r) => r.address, () => undefined);
  if (ip === undefined) return false;
  const bound = normalize(self.host);
  // An unspecified address reaches whatever listens locally; so does any loopback when we listen on all.
  return normalize(ip) === bound || UNSPECIFIED.has(ip) || (UNSPECIFIED.has(bound) && isLoopback(ip));
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

function normalize(ip: string): string {
  if (ip === 'localhost' || ip === '::1') return '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function isLoopback(ip: string): boolean {
  const n = normalize(ip);
  return n.startsWith('127.');
}
