import { AclScope, AclType, type AclEntry } from '../domain/acl';
import { aclError } from '../errors';

/**
 * Hadoop's AclTransformation: the four ways an ACL changes, each taking the
 * inode's full logical ACL (sorted) and an untrusted ACL spec, and answering
 * a new full, sorted, validated ACL. Masks are recalculated and missing
 * default base entries copied from the access ones exactly as HDFS does.
 */

export const MAX_ACL_ENTRIES = 32;

/** HDFS's order: access before default; user, group, mask, other; unnamed first, then names. */
export function compareAclEntries(a: AclEntry, b: AclEntry): number {
  if (a.scope !== b.scope) return a.scope - b.scope;
  if (a.type !== b.type) return a.type - b.type;
  if (a.name === b.name) return 0;
  if (a.name === undefined) return -1;
  if (b.name === undefined) return 1;
  return a.name < b.name ? -1 : 1;
}

const sameKey = (a: AclEntry, b: AclEntry): boolean => compareAclEntries(a, b) === 0;
const sorted = (entries: readonly AclEntry[]): AclEntry[] => [...entries].sort(compareAclEntries);

/** The spec's up-front bound, before any work is done on it (a hostile spec may hold millions). */
export function checkAclSpecSize(entries: number): void {
  if (entries > MAX_ACL_ENTRIES) {
    throw aclError(`Invalid ACL: ACL spec has ${entries} entries, which exceeds maximum of ${MAX_ACL_ENTRIES}.`);
  }
}

function validatedSpec(spec: readonly AclEntry[]): AclEntry[] {
  checkAclSpecSize(spec.length);
  return sorted(spec);
}

/** Per scope: the mask the caller gave (or the one kept), and which scopes changed. */
interface MaskState {
  readonly provided: Map<AclScope, AclEntry>;
  readonly maskDirty: Set<AclScope>;
  readonly scopeDirty: Set<AclScope>;
}

const newMaskState = (): MaskState => ({ provided: new Map(), maskDirty: new Set(), scopeDirty: new Set() });

/** Unspecified default user, group and other entries copy the access ones' permissions. */
function copyDefaultsIfNeeded(acl: AclEntry[]): void {
  if (!acl.some((e) => e.scope === AclScope.Default)) return;
  for (const type of [AclType.User, AclType.Group, AclType.Other]) {
    const base = (scope: AclScope) => acl.find((e) => e.scope === scope && e.type === type && e.name === undefined);
    const access = base(AclScope.Access);
    if (!base(AclScope.Default) && access) acl.push({ scope: AclScope.Default, type, name: undefined, permission: access.permission });
  }
}

/**
 * A scope with named entries needs a mask: the one given, else the union of
 * the group class's permissions. Removing a needed mask is an error.
 */
function calculateMasks(acl: AclEntry[], m: MaskState): void {
  const found = new Set<AclScope>();
  const union = new Map<AclScope, number>();
  const needed = new Set<AclScope>();
  for (const e of acl) {
    found.add(e.scope);
    if (e.type === AclType.Group || e.name !== undefined) union.set(e.scope, (union.get(e.scope) ?? 0) | e.permission);
    if (e.name !== undefined) needed.add(e.scope);
  }
  for (const scope of found) {
    const provided = m.provided.get(scope);
    if (!provided && needed.has(scope) && m.maskDirty.has(scope)) throw aclError('Invalid ACL: mask is required, but it was deleted.');
    if (provided && (!m.scopeDirty.has(scope) || m.maskDirty.has(scope))) acl.push(provided);
    else if (needed.has(scope)) acl.push({ scope, type: AclType.Mask, name: undefined, permission: union.get(scope) ?? 0 });
  }
}

function buildAndValidate(acl: AclEntry[]): AclEntry[] {
  if (acl.length > MAX_ACL_ENTRIES) {
    throw aclError(`Invalid ACL: ACL has ${acl.length} entries, which exceeds maximum of ${MAX_ACL_ENTRIES}.`);
  }
  const out = sorted(acl);
  out.forEach((e, i) => {
    const prev = out[i - 1];
    if (prev && sameKey(prev, e)) throw aclError('Invalid ACL: multiple entries with same scope, type and name.');
    if (e.name !== undefined && (e.type === AclType.Mask || e.type === AclType.Other)) {
      throw aclError(`Invalid ACL: this entry type must not have a name: ${aclEntryText(e)}.`);
    }
  });
  const hasDefault = out.some((e) => e.scope === AclScope.Default);
  for (const type of [AclType.User, AclType.Group, AclType.Other]) {
    const has = (scope: AclScope) => out.some((e) => e.scope === scope && e.type === type && e.name === undefined);
    if (!has(AclScope.Access)) throw aclError('Invalid ACL: the user, group and other entries are required.');
    if (hasDefault && !has(AclScope.Default)) throw aclError('Invalid default ACL: the user, group and other entries are required.');
  }
  return out;
}

/** Takes a mask out of the builder into the state (masks are placed by calculateMasks). */
function keep(acl: AclEntry[], m: MaskState, e: AclEntry): void {
  if (e.type === AclType.Mask) m.provided.set(e.scope, e);
  else acl.push(e);
}

function finish(acl: AclEntry[], m: MaskState): AclEntry[] {
  copyDefaultsIfNeeded(acl);
  calculateMasks(acl, m);
  return buildAndValidate(acl);
}

/** modifyAclEntries: the spec's entries replace or join the existing ones. */
export function mergeAclEntries(existing: readonly AclEntry[], inSpec: readonly AclEntry[]): AclEntry[] {
  const spec = validatedSpec(inSpec);
  const acl: AclEntry[] = [];
  const m = newMaskState();
  const matched = new Set<AclEntry>();
  const applySpecEntry = (e: AclEntry) => {
    m.scopeDirty.add(e.scope);
    if (e.type === AclType.Mask) m.maskDirty.add(e.scope);
    keep(acl, m, e);
  };
  for (const old of existing) {
    const replacement = spec.find((s) => sameKey(s, old));
    if (replacement) {
      matched.add(replacement);
      applySpecEntry(replacement);
    } else {
      keep(acl, m, old);
    }
  }
  for (const e of spec) if (!matched.has(e) && ![...matched].some((x) => sameKey(x, e))) applySpecEntry(e);
  return finish(acl, m);
}

/** removeAclEntries: existing entries with a key in the spec go (permissions in the spec are ignored). */
export function filterAclEntriesByAclSpec(existing: readonly AclEntry[], inSpec: readonly AclEntry[]): AclEntry[] {
  const spec = validatedSpec(inSpec);
  const acl: AclEntry[] = [];
  const m = newMaskState();
  for (const old of existing) {
    if (spec.some((s) => sameKey(s, old))) {
      m.scopeDirty.add(old.scope);
      if (old.type === AclType.Mask) m.maskDirty.add(old.scope);
    } else {
      keep(acl, m, old);
    }
  }
  return finish(acl, m);
}

/** removeDefaultAcl: the access entries alone. */
export function filterDefaultAclEntries(existing: readonly AclEntry[]): AclEntry[] {
  return buildAndValidate(existing.filter((e) => e.scope === AclScope.Access));
}

/**
 * setAcl: each scope the spec names is replaced whole; a scope it does not
 * name is kept (a spec of access entries alone keeps the default ACL).
 */
export function replaceAclEntries(existing: readonly AclEntry[], inSpec: readonly AclEntry[]): AclEntry[] {
  const spec = validatedSpec(inSpec);
  const acl: AclEntry[] = [];
  const m = newMaskState();
  for (const e of spec) {
    m.scopeDirty.add(e.scope);
    if (e.type === AclType.Mask) m.maskDirty.add(e.scope);
    keep(acl, m, e);
  }
  for (const old of existing) if (!m.scopeDirty.has(old.scope)) keep(acl, m, old);
  return finish(acl, m);
}

const TYPE_TEXT: Record<AclType, string> = { [AclType.User]: 'user', [AclType.Group]: 'group', [AclType.Mask]: 'mask', [AclType.Other]: 'other' };
const ACTION_TEXT = ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'];

/** AclEntry.toString: `default:user:alice:rwx`. */
export function aclEntryText(e: AclEntry): string {
  return `${e.scope === AclScope.Default ? 'default:' : ''}${TYPE_TEXT[e.type]}:${e.name ?? ''}:${ACTION_TEXT[e.permission & 7] ?? '---'}`;
}
