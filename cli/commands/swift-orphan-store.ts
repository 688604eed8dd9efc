import type { SharedObject, SharedObjectStore } from '../../namenode/leader/duties/shared-orphans';
import { SwiftClient, type SwiftListing } from '../../datanode/store/swift-client';
import type { SwiftCredentials } from '../../datanode/store/swift-credentials';
import { parseObjectName, segmentsContainer } from '../../datanode/store/swift-object-layout';

/** Segments are listed after the container's own objects, under this prefix (sorting after every `blk_` name). */
const SEGMENTS = '~segments/';
/** A Static Large Object's segment: `blk_<id>_<gs>/NNNNNN`. */
const SEGMENT = /^(blk_\d+_\d+)\/\d+$/;

/**
 * The leader's orphan sweep over a Swift container, through the datanode's
 * Swift client and object layout (the namenode knows neither): names
 * become block ids and stamps, an SLO manifest is removed with its
 * segments. The segments container is swept too, after the main one, so
 * segments whose manifest was never written (an upload that died) go.
 */
export function swiftOrphanStore(credentials: SwiftCredentials, container: string, idleTimeoutMs: number): SharedObjectStore & { close(): void } {
  const client = new SwiftClient(credentials, { idleTimeoutMs });
  const segments = segmentsContainer(container);
  const shared = (name: string, block: string, o: SwiftListing): SharedObject => {
    const key = parseObjectName(block);
    return { name, lastModifiedMs: o.lastModifiedMs, ...(key ? { block: { blockId: key.blockId, genStamp: key.generationStamp } } : {}) };
  };
  const segmentPage = async (marker: string): Promise<SharedObject[]> =>
    (await client.list(segments, '', marker)).map((o) => shared(`${SEGMENTS}${o.name}`, SEGMENT.exec(o.name)?.[1] ?? '', o));
  return {
    listPage: async (marker) => {
      if (marker.startsWith(SEGMENTS)) return segmentPage(marker.slice(SEGMENTS.length));
      const page = (await client.list(container, '', marker)).map((o) => shared(o.name, o.name, o));
      return page.length > 0 ? page : segmentPage('');
    },
    remove: async (name) => {
      if (name.startsWith(SEGMENTS)) {
        await client.delete(segments, name.slice(SEGMENTS.length));
        return;
      }
      const headers = await client.head(container, name);
      if (headers === undefined) return;
      await client.delete(container, name, String(headers['x-static-large-object']).toLowerCase() === 'true');
    },
    close: () => client.close(),
  };
}
