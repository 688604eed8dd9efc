import type { hadoop } from '../../protocol/generated/hadoop';
import type { TypeQuotaInfo } from '../domain/quota-usage';

/** StorageTypeQuotaInfosProto, present only when some type has a quota (as PBHelperClient converts it). */
export const typeQuotaInfosProto = (infos: readonly TypeQuotaInfo[] | undefined) =>
  infos && infos.length > 0
    ? { typeQuotaInfos: { typeQuotaInfo: infos.map((i) => ({ type: i.type as number as hadoop.hdfs.StorageTypeProto, quota: i.quota, consumed: i.consumed })) } }
    : {};
