import { MetadataOnlyFileDataClient, type FileDataClient } from '../file-data-client';
import { DtpFileDataClient, type DtpFileDataOptions } from './dtp-file-data-client';

/** `--data`: real bytes through datanodes, or the namenode's part alone. */
export const DATA_PATHS = ['real', 'metadata'] as const;
export type DataPath = (typeof DATA_PATHS)[number];

export function fileDataClient(kind: DataPath, o: DtpFileDataOptions): FileDataClient {
  return kind === 'real' ? new DtpFileDataClient(o) : new MetadataOnlyFileDataClient();
}
