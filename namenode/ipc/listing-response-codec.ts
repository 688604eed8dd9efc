import { putVarint, varintSize } from '../../protocol/ipc/varint-writer';
import type { DirectoryListing, EncodedListing } from '../domain/file-status';
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
  if ('encoded' in listing) return encodeStoredListing(listing);
  const owners = new ByteLengths();
  const groups = new ByteLengths();
  const measured = listing.entries.map((s) => measureStatus(s, owners, groups));
  let dirList = 1 + varintSize(listing.remaining);
  for (const m of measured) dirList += 1 + lengthPrefixed(m.size);
  const out = Buffer.allocUnsafe(1 + lengthPrefixed(dirList));
  out[0] = 0x0a;
  let at = putVarint(out, 1, dirList);
  listing.entries.forEach((s, i) => {
    const m = measured[i] as Measured;
    out[at++] = 0x0a;
    at = putVarint(out, at, m.size);
    at = putStatus(out, at, s, m);
  });
  out[at++] = 0x10;
  putVarint(out, at, listing.remaining);
  return out;
}

/** The same answer from the children's stored status bytes: each entry head ‖ mtime ‖ tail, copied. */
function encodeStoredListing(listing: EncodedListing): Uint8Array {
  const sizes = listing.encoded.map((e) => partsSize(e.head, e.mtime, e.tail));
  let dirList = 1 + varintSize(listing.remaining);
  for (const n of sizes) dirList += 1 + lengthPrefixed(n);
  const out = Buffer.allocUnsafe(1 + lengthPrefixed(dirList));
  out[0] = 0x0a;
  let at = putVarint(out, 1, dirList);
  listing.encoded.forEach((e, i) => {
    out[at++] = 0x0a;
    at = putVarint(out, at, sizes[i] as number);
    at = putParts(out, at, e.head, e.mtime, e.tail);
  });
  out[at++] = 0x10;
  putVarint(out, at, listing.remaining);
  return out;
}
