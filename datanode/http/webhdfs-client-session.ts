import { randomUUID } from 'node:crypto';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import type { WebHdfsParams } from '../../protocol/webhdfs/webhdfs-params';
import { BadWebHdfsRequest } from './datanode-webhdfs-error';

/**
 * The datanode as an HDFS client of the namenode that redirected the
 * request: `namenoderpcaddress` names it, and only a namenode this
 * datanode reports to is accepted (a request must not make the datanode
 * dial an address of its choosing). The caller is the redirect's
 * `user.name`, already decided by the namenode.
 */
export async function connectToNamenode(params: WebHdfsParams, namenodes: readonly string[]): Promise<NamenodeClient> {
  const address = params.str('namenoderpcaddress');
  if (address === undefined) throw new BadWebHdfsRequest('Invalid value for webhdfs parameter "namenoderpcaddress": the parameter is required');
  if (!namenodes.includes(address)) throw new BadWebHdfsRequest(`Invalid value for webhdfs parameter "namenoderpcaddress": ${address} is not a namenode of this datanode`);
  const user = params.str('user.name') ?? 'dr.who';
  // DFSClient's name for a client outside MapReduce, as the lease holder.
  return NamenodeClient.connect(address, user, `DFSClient_NONMAPREDUCE_webhdfs_${randomUUID()}`, new RpcCounter());
}
