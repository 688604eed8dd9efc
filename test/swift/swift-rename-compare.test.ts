import { fileName, nnfleetRename, renameTable, startRenameBench, swiftFsRename, type RenameBench } from '../harness/swift-rename-compare';

// Correctness only (the figures are printed, `npm run bench:swift-rename` runs it with more files):
// Hadoop's swift:// (hadoop-openstack 3.3.4 through a Keystone v2.0 translator to the real Keystone v3)
// and Swift-backed nnfleet rename a directory on the same Swift. SWIFT_RENAME_FILES sets the count.
// 40 by default keeps `npm test` short (the swift:// side costs about a COPY and a DELETE per file); `npm run bench:swift-rename` runs 10,000.
const FILES = Number(process.env['SWIFT_RENAME_FILES'] ?? 40);
const TIMEOUT_MS = 120_000 + FILES * 200;
const expected = Array.from({ length: FILES }, (_, i) => fileName(i));
let bench: RenameBench;

beforeAll(async () => {
  bench = await startRenameBench('swiftcmp');
}, 300_000);
afterAll(async () => {
  await bench?.close();
});

test(`rename of a ${FILES}-file directory: swift:// copies and deletes every object; nnfleet sends Swift nothing`, async () => {
  const hadoop = await swiftFsRename(bench, FILES, TIMEOUT_MS);
  expect(hadoop.destination).toEqual(expected);
  expect(hadoop.sourceLeft).toBe(0);
  expect(hadoop.firstFile).toBe('file 0\n');
  // Copy + delete per object: at least one server-side COPY (or PUT with X-Copy-From) and one DELETE each.
  expect(hadoop.swiftRequests['DELETE'] ?? 0).toBeGreaterThanOrEqual(FILES);
  expect((hadoop.swiftRequests['COPY'] ?? 0) + (hadoop.swiftRequests['PUT'] ?? 0)).toBeGreaterThanOrEqual(FILES);

  const nnfleet = await nnfleetRename(bench, FILES, TIMEOUT_MS);
  expect(nnfleet.destination).toEqual(expected);
  expect(nnfleet.sourceLeft).toBe(0);
  expect(nnfleet.firstFile).toBe('file 0\n');
  expect(nnfleet.swiftRequests).toEqual({});

  process.stdout.write(`\n${renameTable([hadoop, nnfleet])}\n`);
}, 600_000 + FILES * 2_000);
