import type { Metadata } from '@grpc/grpc-js';
import { NamesystemError } from '../errors';
import type { ClaimedIdentity } from '../security/caller-resolver';

/** Call metadata naming the user (SIMPLE auth, as Hadoop IPC's connection context and WebHDFS's `user.name`). */
export const USER_METADATA = 'x-hadoop-user';
/** Call metadata naming the user to act as (doAs), allowed only under the hadoop.proxyuser rules. */
export const DOAS_METADATA = 'x-hadoop-doas';
/** The user a call without USER_METADATA runs as (WebHDFS's anonymous default: `dr.who`). */
export const ANONYMOUS_GRPC_USER = 'dr.who';

const MAX_NAME = 256;

/** The identity a gRPC call claims (not yet checked against the proxy-user rules); malformed metadata (several values, over-long) is refused. */
export function claimedIdentityOf(metadata: Metadata, peer: string | undefined): ClaimedIdentity {
  const one = (key: string): string | undefined => {
    const values = metadata.get(key);
    if (values.length === 0) return undefined;
    const v = values[0];
    if (values.length > 1 || typeof v !== 'string' || v === '' || v.length > MAX_NAME) throw new NamesystemError('IllegalArgument', `malformed ${key} metadata: one value of at most ${MAX_NAME} characters`);
    return v;
  };
  const user = one(USER_METADATA) ?? ANONYMOUS_GRPC_USER;
  const doAs = one(DOAS_METADATA);
  const remoteAddress = peerAddress(peer);
  return doAs !== undefined ? { user: doAs, realUser: user, remoteAddress } : { user, remoteAddress };
}

/** grpc-js peers look like `ipv4:127.0.0.1:51234` or `ipv6:[::1]:51234`. */
function peerAddress(peer: string | undefined): string | undefined {
  if (peer === undefined) return undefined;
  const m = /^(?:ipv4:)?([\d.]+):\d+$/.exec(peer) ?? /^ipv6:\[([^\]]+)\]:\d+$/.exec(peer);
  return m?.[1];
}
