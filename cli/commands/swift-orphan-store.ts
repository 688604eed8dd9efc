import type { SharedObjectStore } from '../../namenode/leader/duties/shared-orphans';
import { SwiftClient } from '../../datanode/store/swift-client';
import type { SwiftCredentials } from '../../datanode/store/swift-credentials';
import { parseObjectName } from '../../datanode/store/swift-object-layout';

/**
 * The leader's orphan sweep over a Swift container, through the datanode's
 * Swift client and object layout (the namenode knows neither): names
 * become block ids and stamps, an SLO manifest is removed with its segments.
 */
export function swiftOrphanStore(credentials: SwiftCredentials, container: string, idleTimeoutMs: number): SharedObjectStore & { close(): void } {
  const client = new SwiftClient(credentials, { idleTimeoutMs });
  return {
    listPage: async (marker) =>
      (await client.list(container, '', marker)).map((o) => {
        const key = parseObjectName(o.name);
        return { name: o.name, lastModifiedMs: o.lastModifiedMs, ...(key ? { block: { blockId: key.blockId, genStamp: key.generationStamp } } : {}) };
      }),
    remove: async (name) => {
      const headers = await client.head(container, name);
      if (headers === undefined) return;
      await client.delete(container, name, String(headers['x-static-large-object']).toLowerCase() === 'true');
    },
    close: () => client.close(),
  };
}
