import { hadoop } from '../../protocol/generated/hadoop';
import type { DatanodeReportType } from '../domain/datanode-report-type';

const H = hadoop.hdfs;

/** DatanodeReportTypeProto → the report's filter; ENTERING_MAINTENANCE and IN_MAINTENANCE have none (no maintenance state). */
export const REPORT_TYPE = new Map<hadoop.hdfs.DatanodeReportTypeProto, DatanodeReportType>([
  [H.DatanodeReportTypeProto.ALL, 'all'],
  [H.DatanodeReportTypeProto.LIVE, 'live'],
  [H.DatanodeReportTypeProto.DEAD, 'dead'],
  [H.DatanodeReportTypeProto.DECOMMISSIONING, 'decommissioning'],
]);

