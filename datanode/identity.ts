import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who this datanode is, kept across restarts so namenodes recognise its replicas. */
export interface DatanodeIdentity {
  readonly datanodeUuid: string;
  /** The one storage (volume) of this datanode; Hadoop's "DS-…" storage id. */
  readonly storageUuid: string;
}

const IDENTITY_FILE = 'datanode-id.json';

/** Reads `<dataDir>/datanode-id.json`, creating it (atomically) on first start. */
export async function loadOrCreateIdentity(dataDir: string): Promise<DatanodeIdentity> {
  const path = join(dataDir, IDENTITY_FILE);
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<DatanodeIdentity>;
    if (typeof parsed.datanodeUuid === 'string' && typeof parsed.storageUuid === 'string') {
      return { datanodeUuid: parsed.datanodeUuid, storageUuid: parsed.storageUuid };
    }
    throw new Error(`${path} lacks datanodeUuid or storageUuid`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const identity: DatanodeIdentity = { datanodeUuid: randomUUID(), storageUuid: `DS-${randomUUID()}` };
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(identity, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
  return identity;
}
