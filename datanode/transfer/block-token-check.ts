import type { Socket } from 'node:net';
import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { checkBlockToken, type AccessMode } from '../../protocol/security/block-token';
import { sendResponse } from './responses';
import type { TransferContext } from './transfer-context';

type Header = { readonly block: hadoop.hdfs.IExtendedBlockProto; readonly token?: hadoop.common.ITokenProto | null };

/**
 * DataXceiver.checkAccess: the op's token must be a namenode's (or a fellow
 * datanode's) for this block, pool and access mode, and not expired.
 * Refused with ERROR_ACCESS_TOKEN, on which Hadoop and Go clients fetch new
 * locations (and tokens) and try again. Answers whether the op may go on.
 */
export async function blockAccessAllowed(ctx: TransferContext, socket: Socket, header: Header, mode: AccessMode, answer = true): Promise<boolean> {
  const keys = ctx.blockKeys;
  if (!keys.enforcing) return true;
  const t = header.token;
  const token = t ? { identifier: t.identifier ?? new Uint8Array(0), password: t.password ?? new Uint8Array(0), kind: t.kind ?? '', service: t.service ?? '' } : undefined;
  const blockId = BigInt(Long.fromValue(header.block.blockId ?? 0).toString());
  const refused = checkBlockToken(token, (id) => keys.keyOf(id), { blockPoolId: header.block.poolId ?? '', blockId, mode, now: Date.now() });
  if (refused === undefined) return true;
  ctx.logger.info({ peer: `${socket.remoteAddress}:${socket.remotePort}`, mode, reason: refused }, 'block access refused');
  if (answer) await sendResponse(socket, { status: hadoop.hdfs.Status.ERROR_ACCESS_TOKEN, message: `Got access token error, status message ${refused}` });
  else socket.destroy();
  return false;
}
