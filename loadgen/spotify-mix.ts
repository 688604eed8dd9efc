import type { WeightedOp } from './operation-mix';

export type SpotifyOp =
  | 'readFile'
  | 'statFile'
  | 'listDir'
  | 'statDir'
  | 'createFile'
  | 'renameFile'
  | 'deleteFile'
  | 'listFile'
  | 'chownDir'
  | 'setReplication'
  | 'mkdirs'
  | 'chmodFile'
  | 'chmodDir';

/**
 * The operation mix of Spotify's production HDFS cluster, in percent, as
 * HopsFS measured it (Niazi et al., FAST '17) and used for its throughput
 * figures. "readFile" is the namenode's part of a read: getBlockLocations.
 */
export const SPOTIFY_MIX: readonly WeightedOp<SpotifyOp>[] = [
  { op: 'readFile', weight: 68.73 },
  { op: 'statFile', weight: 13.04 },
  { op: 'listDir', weight: 8.52 },
  { op: 'statDir', weight: 3.96 },
  { op: 'createFile', weight: 2.7 },
  { op: 'renameFile', weight: 1.3 },
  { op: 'deleteFile', weight: 0.75 },
  { op: 'listFile', weight: 0.49 },
  { op: 'chownDir', weight: 0.32 },
  { op: 'setReplication', weight: 0.14 },
  { op: 'mkdirs', weight: 0.02 },
  { op: 'chmodFile', weight: 0.02 },
  { op: 'chmodDir', weight: 0.01 },
];
