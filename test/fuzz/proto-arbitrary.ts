import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * Valid messages of any Hadoop request type, generated from the .proto
 * files themselves (the static generated code carries no reflection), so a
 * new method is fuzzed with plausible requests without anyone writing a
 * generator for it.
 */
const PROTO_DIR = join(__dirname, '../../protocol/proto');

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // Imports name sibling files ("hdfs.proto"): resolve them in the one proto folder.
  root.resolvePath = (_origin, target) => join(PROTO_DIR, basename(target));
  const files = readdirSync(PROTO_DIR).filter((f) => f.endsWith('.proto')).map((f) => join(PROTO_DIR, f));
  root.loadSync(files).resolveAll();
  return root;
}

const root = loadRoot();

/** Nested messages deeper than this are left out (optional) or kept minimal (required). */
const MAX_DEPTH = 4;

const path = fc.oneof(fc.string({ maxLength: 30 }).map((s) => `/${s}`), fc.constantFrom('/', '/a/b', '/user/hdfs/f'));
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map((n) => n.toString());
const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString());

function scalar(field: protobuf.Field): fc.Arbitrary<unknown> {
  if (field.resolvedType instanceof protobuf.Enum) return fc.constantFrom(...Object.values(field.resolvedType.values));
  switch (field.type) {
    case 'string':
      return /^(src|dst|path|target|parent|trg|snapshotRoot)$/.test(field.name) ? path : fc.string({ maxLength: 24 });
    case 'bytes':
      return fc.uint8Array({ maxLength: 24 });
    case 'bool':
      return fc.boolean();
    case 'double':
    case 'float':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return fc.integer();
    case 'uint32':
    case 'fixed32':
      return fc.nat(0xffffffff);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return int64;
    case 'uint64':
    case 'fixed64':
      return uint64;
    default:
      throw new Error(`no generator for proto type ${field.type} (${field.fullName})`);
  }
}

const cache = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

function messageArb(type: protobuf.Type, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const key = `${type.fullName}@${depth}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const required: Record<string, fc.Arbitrary<unknown>> = {};
  const optional: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    if (field.resolvedType instanceof protobuf.Type && depth >= MAX_DEPTH && !field.required) continue;
    const value: fc.Arbitrary<unknown> =
      field.resolvedType instanceof protobuf.Type ? fc.constant(null).chain(() => messageArb(field.resolvedType as protobuf.Type, depth + 1)) : scalar(field);
    if (field.repeated) optional[field.name] = fc.array(value, { maxLength: 3 });
    else (field.required ? required : optional)[field.name] = value;
  }
  const arb = fc
    .tuple(fc.record(required), fc.record(optional, { requiredKeys: [] }))
    .map(([req, opt]) => ({ ...opt, ...req }));
  cache.set(key, arb);
  return arb;
}

/** A request type by its full name (hadoop.hdfs.GetFileInfoRequestProto): valid encoded messages of it. */
export function validMessages(fullName: string): fc.Arbitrary<Uint8Array> {
  const type = root.lookupType(fullName);
  return messageArb(type, 0).map((fields) => type.encode(type.fromObject(fields)).finish());
}
