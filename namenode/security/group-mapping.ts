import { readFileSync } from 'node:fs';

/**
 * User → groups, as hadoop.security.group.mapping does on a NameNode host:
 * static overrides first (hadoop.user.group.static.mapping.overrides, same
 * syntax: `alice=staff,dev;bob=;`), then the host's /etc/group and
 * /etc/passwd (the primary group first), cached for `ttlMs`.
 */
export class GroupMapping {
  readonly #overrides: Map<string, string[]>;
  readonly #ttlMs: number;
  #loadedAt = 0;
  #hostGroups = new Map<string, string[]>();

  constructor(overrides = '', ttlMs = 300_000) {
    this.#overrides = parseOverrides(overrides);
    this.#ttlMs = ttlMs;
  }

  groupsOf(user: string): readonly string[] {
    const fixed = this.#overrides.get(user);
    if (fixed) return fixed;
    if (Date.now() - this.#loadedAt > this.#ttlMs) this.#reload();
    return this.#hostGroups.get(user) ?? [];
  }

  /** Groups.refresh (`hdfs dfsadmin -refreshUserToGroupsMappings`): the next lookup re-reads the host's files. */
  refresh(): void {
    this.#loadedAt = 0;
  }

  #reload(): void {
    this.#loadedAt = Date.now();
    const byGid = new Map<string, string>();
    const groups = new Map<string, string[]>();
    const add = (user: string, group: string) => {
      const list = groups.get(user) ?? [];
      if (!list.includes(group)) list.push(group);
      groups.set(user, list);
    };
    const groupLines = readLines('/etc/group');
    for (const line of groupLines) {
      const [name, , gid] = line.split(':');
      if (name && gid) byGid.set(gid, name);
    }
    for (const line of readLines('/etc/passwd')) {
      const [user, , , gid] = line.split(':');
      const primary = gid === undefined ? undefined : byGid.get(gid);
      if (user && primary) add(user, primary);
    }
    for (const line of groupLines) {
      const [name, , , members] = line.split(':');
      if (!name || !members) continue;
      for (const m of members.split(',')) if (m) add(m, name);
    }
    this.#hostGroups = groups;
  }
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  } catch {
    return [];
  }
}

export function parseOverrides(spec: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of spec.split(';')) {
    const [user, groups] = entry.split('=');
    if (!user?.trim()) continue;
    out.set(
      user.trim(),
      (groups ?? '').split(',').map((g) => g.trim()).filter(Boolean),
    );
  }
  return out;
}
