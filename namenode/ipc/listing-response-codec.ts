import { putVarint, varintSize } from '../../protocol/ipc/varint-writer';
import type { DirectoryListing, EncodedListing, EncodedStatus, FileStatus } from '../domain/file-status';
import { partsSize, putParts } from '../wire/status-parts';
import { ByteLengths, lengthPrefixed, measureStatus, putStatus, type Measured } from '../wire/status-writer';

/*
 * GetListingResponseProto for a plain listing (no locations), written
 * straight into one buffer with the shared HdfsFileStatusProto writer
 * (status-writer.ts). getListing answers a page of up to dfs.ls.limit
 * statuses per call, so this is the namenode's hottest encoder per call.
 * The bytes are exactly what protobufjs gives for
 * `{ dirList: { partialListing: entries.map(toStatusProto), remainingEntries } }`
 * (fields in field-number order; test/namenode/unit/listing-response-codec.test.ts):
 *
 *   GetListingResponseProto  0a len DirectoryListingProto              (absent: no such path)
 *   DirectoryListingProto    { 0a len HdfsFileStatusProto }* 10 remainingEntries
 */

/** GetListingResponseProto's bytes for a page, or for `undefined` (no such path) the empty message. */
export function encodeListingResponse(listing: DirectoryListing | EncodedListing | undefined): Uint8Array {
  if (!listing) return new Uint8Array(0);
  if ('encoded' in listing) {
    // From the children's stored status bytes: each entry head ‖ mtime ‖ tail, copied.
    const { encoded } = listing;
    const sizes = encoded.map((e) => partsSize(e.head, e.mtime, e.tail));
    return frameListing(sizes, listing.remaining, (out, at, i) => {
      const e = encoded[i] as EncodedStatus;
      return putParts(out, at, e.head, e.mtime, e.tail);
    });
  }
  const owners = new ByteLengths();
  const groups = new ByteLengths();
  const { entries } = listing;
  const measured = entries.map((s) => measureStatus(s, owners, groups));
  return frameListing(
    measured.map((m) => m.size),
    listing.remaining,
    (out, at, i) => putStatus(out, at, entries[i] as FileStatus, measured[i] as Measured),
  );
}

/** The response frame around `sizes.length` statuses, each written by `put` at its offset (returning the offset after it). */
function frameListing(sizes: readonly number[], remaining: number, put: (out: Buffer, at: number, i: number) => number): Uint8Array {
  let dirList = 1 + varintSize(remaining);
  for (const n of sizes) dirList += 1 + lengthPrefixed(n);
  const out = Buffer.allocUnsafe(1 + lengthPrefixed(dirList));
  out[0] = 0x0a;
  let at = putVarint(out, 1, dirList);
  for (let i = 0; i < sizes.length; i++) {
    out[at++] = 0x0a;
    at = putVarint(out, at, sizes[i] as number);
    at = put(out, at, i);
  }
  out[at++] = 0x10;
  putVarint(out, at, remaining);
  return out;
}
