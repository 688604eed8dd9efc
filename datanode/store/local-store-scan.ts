import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplicaInfo } from './block-store';
import { dataFileName, parseMetaFileName, type LocalLayout } from './local-layout';
import { readMetaSpec, truncateReplica, verifiedLength } from './replica-files';

interface FoundFiles {
  data?: string;
  metas: { path: string; generationStamp: number }[];
}

export interface ScanResult {
  replicas: ReplicaInfo[];
  /** Block ids whose files were unusable and removed. */
  discarded: number[];
}

/**
 * Rebuilds the replica index at start. Finalized replicas are trusted (they
 * were fsynced before their rename). Everything else — RBW replicas, and
 * blocks caught between the two renames of a finalize or an append — becomes
 * an RBW cut back to its last chunk whose checksum matches; never finalized.
 */
export async function scanLocalStore(layout: LocalLayout): Promise<ScanResult> {
  await mkdir(layout.rbwDir, { recursive: true });
  await mkdir(layout.finalizedDir, { recursive: true });
  const rbw = await collect(layout.rbwDir, false);
  const finalized = await collect(layout.finalizedDir, true);
  const result: ScanResult = { replicas: [], discarded: [] };

  for (const [blockId, files] of finalized) {
    const newest = newestMeta(files);
    if (files.data && newest && !rbw.has(blockId)) {
      const spec = await readMetaSpec(newest.path);
      const numBytes = (await stat(files.data)).size;
      result.replicas.push({ blockId, generationStamp: newest.generationStamp, numBytes, state: 'finalized', checksum: spec });
      continue;
    }
    // Half-moved: bring every part back to rbw/ and recover it there.
    const inRbw = rbw.get(blockId) ?? { metas: [] };
    if (files.data) {
      const target = join(layout.rbwDir, dataFileName(blockId));
      await rename(files.data, target);
      inRbw.data = target;
    }
    for (const meta of files.metas) {
      const target = layout.metaPath(blockId, meta.generationStamp, false);
      await rename(meta.path, target);
      inRbw.metas.push({ path: target, generationStamp: meta.generationStamp });
    }
    rbw.set(blockId, inRbw);
  }

  for (const [blockId, files] of rbw) {
    const replica = await recoverRbw(blockId, files).catch(() => undefined);
    if (replica) {
      result.replicas.push(replica);
    } else {
      await removeAll(files);
      result.discarded.push(blockId);
    }
  }
  return result;
}

async function recoverRbw(blockId: number, files: FoundFiles): Promise<ReplicaInfo | undefined> {
  const newest = newestMeta(files);
  if (!files.data || !newest) return undefined;
  for (const stale of files.metas) if (stale !== newest) await rm(stale.path, { force: true });
  const spec = await readMetaSpec(newest.path);
  const numBytes = await verifiedLength(files.data, newest.path, spec);
  await truncateReplica(files.data, newest.path, spec, numBytes);
  return { blockId, generationStamp: newest.generationStamp, numBytes, state: 'rbw', checksum: spec };
}

function newestMeta(files: FoundFiles): { path: string; generationStamp: number } | undefined {
  return files.metas.reduce<FoundFiles['metas'][number] | undefined>(
    (best, m) => (best === undefined || m.generationStamp > best.generationStamp ? m : best),
    undefined,
  );
}

async function removeAll(files: FoundFiles): Promise<void> {
  if (files.data) await rm(files.data, { force: true });
  for (const meta of files.metas) await rm(meta.path, { force: true });
}

async function collect(dir: string, recursive: boolean): Promise<Map<number, FoundFiles>> {
  const found = new Map<number, FoundFiles>();
  const entries = await readdir(dir, { withFileTypes: true, recursive });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const meta = parseMetaFileName(entry.name);
    const dataId = /^blk_(\d+)$/.exec(entry.name)?.[1];
    const blockId = meta ? meta.blockId : dataId !== undefined ? Number(dataId) : undefined;
    if (blockId === undefined) continue;
    const files = found.get(blockId) ?? { metas: [] };
    if (meta) files.metas.push({ path, generationStamp: meta.generationStamp });
    else files.data = path;
    found.set(blockId, files);
  }
  return found;
}
