import type { ServerResponse } from 'node:http';
import { NamesystemError } from '../../errors';
import type { Caller } from '../../security/caller';
import type { Namesystem } from '../../namesystem';
import type { DatanodeRedirects } from './datanode-redirect';
import type { WebHdfsParams } from '../../../protocol/webhdfs/webhdfs-params';

/** One WebHDFS call, parsed: who, which path, which parameters. */
export interface WebHdfsCall {
  readonly ns: Namesystem;
  readonly caller: Caller;
  /** The path after /webhdfs/v1, decoded; "/" for the root. */
  readonly path: string;
  readonly params: WebHdfsParams;
  readonly redirects: DatanodeRedirects;
  /** For an op that streams its answer (LISTSTATUS of a large directory). */
  readonly res: ServerResponse;
}

/** What an op answers: a JSON body (200), nothing (200, empty), a datanode to go to, or already sent. */
export type WebHdfsAnswer =
  | { readonly json: unknown }
  | { readonly empty: true }
  | { readonly redirect: string }
  | { readonly streamed: true };

export type WebHdfsOp = (call: WebHdfsCall) => Promise<WebHdfsAnswer>;

export const json = (body: unknown): WebHdfsAnswer => ({ json: body });
export const EMPTY: WebHdfsAnswer = { empty: true };

/** Ops of Hadoop's enums the namespace has no feature for yet (erasure coding, tokens): UnsupportedOperationException, 400. */
export function unsupportedOps(ops: readonly string[]): Record<string, WebHdfsOp> {
  return Object.fromEntries(ops.map((op) => [op, () => Promise.reject(new NamesystemError('Unsupported', `${op} is not supported`))]));
}
