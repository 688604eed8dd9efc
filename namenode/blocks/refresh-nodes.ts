import { readFile } from 'node:fs/promises';
import { DatanodeState, type DatanodeInfo } from '../domain/datanode-info';
import { fileNotFound, ioError } from '../errors';
import type { OpContext } from '../tx/op-context';
import { startDecommission, stopDecommission } from './decommission';
import { isListed, parseHostsFile, type HostEntry } from './hosts-file';

/** What a refreshNodes changed, by datanode uuid, and the entries that named no registered datanode. */
export interface RefreshedNodes {
  readonly decommissioned: readonly string[];
  readonly recommissioned: readonly string[];
  readonly unmatched: readonly string[];
}

/**
 * HDFS's `dfsadmin -refreshNodes` (DatanodeManager.refreshDatanodes) for a
 * fleet: the namenode that receives it reads its exclude file (the setting
 * hostsExcludeFile, dfs.hosts.exclude) and makes the datanode rows, which
 * every namenode shares, agree with it: a listed datanode starts
 * decommissioning, a retiring one no longer listed is back in service. A
 * listed datanode already declared dead is left alone (its blocks were
 * re-replicated then). Entries naming no registered datanode take effect
 * at the next refresh after it registers.
 */
export async function refreshNodes(ctx: OpContext, all: readonly DatanodeInfo[]): Promise<RefreshedNodes> {
  const entries = await readExcludeFile(ctx.config.hostsExcludeFile);
  const decommissioned: string[] = [];
  const recommissioned: string[] = [];
  for (const d of all) {
    if (isListed(entries, d)) {
      if (d.state !== DatanodeState.Normal) continue;
      await startDecommission(ctx, d.uuid);
      decommissioned.push(d.uuid);
    } else if (d.state === DatanodeState.Decommissioning || d.state === DatanodeState.Decommissioned) {
      await stopDecommission(ctx, d.uuid);
      recommissioned.push(d.uuid);
    }
  }
  const unmatched = entries.filter((e) => !all.some((d) => isListed([e], d))).map((e) => (e.port === 0 ? e.host : `${e.host}:${e.port}`));
  return { decommissioned, recommissioned, unmatched };
}

async function readExcludeFile(file: string): Promise<HostEntry[]> {
  if (file === '') throw ioError('refreshNodes: this namenode has no hosts exclude file (set -D hostsExcludeFile=FILE); decommission over gRPC instead');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw fileNotFound(`${file} (No such file or directory)`);
    throw ioError(`cannot read the hosts exclude file ${file}: ${(err as Error).message}`);
  }
  try {
    return parseHostsFile(text);
  } catch (err) {
    throw ioError(`hosts exclude file ${file}, ${(err as Error).message}`);
  }
}
