/** Which datanodes a report lists (HDFS's DatanodeReportType, less the kinds nnfleet has no state for). */
export type DatanodeReportType = 'all' | 'live' | 'dead' | 'decommissioning';
