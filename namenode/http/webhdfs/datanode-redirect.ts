import type { DatanodeInfo } from '../../domain/datanode-info';
import type { Location } from '../../domain/located-blocks';
import { ioError } from '../../errors';
import type { Caller } from '../../security/caller';
import type { Namesystem } from '../../namesystem';
import type { WebHdfsParams } from '../../../protocol/webhdfs/webhdfs-params';

/** Parameters that concern the namenode step only; the rest travel to the datanode. */
const NOT_FORWARDED = new Set(['op', 'user.name', 'doas', 'noredirect', 'namenoderpcaddress', 'delegation']);

/**
 * Where the namenode sends a CREATE, APPEND, OPEN or GETFILECHECKSUM:
 * a live datanode's WebHDFS endpoint on its info port, with the namenode's
 * RPC address (`namenoderpcaddress`) for the datanode to act as an HDFS
 * client, the caller as `user.name` (the namenode has already decided any
 * doas), and the op's own parameters, as NamenodeWebHdfsMethods.redirectURI.
 */
export class DatanodeRedirects {
  constructor(
    readonly ns: Namesystem,
    /** host:port of this namenode's RPC server. */
    readonly rpcAddress: string,
  ) {}

  /** A datanode holding one of `locations` when one serves HTTP, else any live one (HDFS picks randomly too). */
  async choose(locations: readonly Location[] = []): Promise<DatanodeInfo> {
    const holders = locations.map((l) => l.datanode).filter((d) => d.infoPort > 0);
    if (holders.length > 0) return pick(holders);
    const live = (await this.ns.getDatanodeReport('live')).filter((d) => d.infoPort > 0);
    // NamenodeWebHdfsMethods.chooseDatanode's IOException.
    if (live.length === 0) throw ioError('Failed to find datanode, suggest to check cluster health.');
    return pick(live);
  }

  url(dn: DatanodeInfo, op: string, path: string, caller: Caller, params: WebHdfsParams): string {
    const q = new URLSearchParams([['op', op], ['user.name', caller.user], ['namenoderpcaddress', this.rpcAddress]]);
    for (const [k, v] of params.entries()) if (!NOT_FORWARDED.has(k)) q.append(k, v);
    const encodedPath = path.split('/').map(encodeURIComponent).join('/');
    return `http://${dn.ipAddr}:${dn.infoPort}/webhdfs/v1${encodedPath}?${q.toString()}`;
  }
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
