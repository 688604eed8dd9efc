import { CreateFlag } from '../../namenode/ops/create';
import { isNamesystemError } from '../../namenode/errors';
import { XAttrNamespace, XAttrSetFlag } from '../../namenode/domain/xattr';
import type { Namesystem } from '../../namenode/namesystem';
import type { Caller } from '../../namenode/security/caller';
import { ABSENT, type Effect, type ReadEvent, type WriteEvent } from './stale-read-checker';

/**
 * Concurrent clients writing and reading a small set of paths through
 * several namesystems, recording every operation's invocation and response
 * time (one monotonic clock) and what it read or the effect it had on each
 * path's three registers: `stat` (absent, or the permission), `xattr`
 * (absent, 'none', or the value of user.v) and `open` (absent, 'dir', or
 * a file 'uc' until completed, 'closed' after). getFileInfo reads `stat`,
 * getListing of a directory reads `stat` and `open` of each of its
 * children, getBlockLocations reads `open`.
 */
export const DIRS = ['/d0', '/d1', '/d2'];
export const FILES = [...DIRS.flatMap((d) => [`${d}/a`, `${d}/b`]), '/x', '/y'];
const PATHS = [...DIRS, ...FILES];

export interface History {
  readonly writes: WriteEvent[];
  readonly reads: ReadEvent[];
}

const within = (p: string): string[] => PATHS.filter((q) => q === p || q.startsWith(p + '/'));
const below = (p: string): string[] => PATHS.filter((q) => q.startsWith(p + '/'));
const ancestors = (p: string): string[] => PATHS.filter((q) => p.startsWith(q + '/'));
const LISTED = ['/', ...DIRS];
const childrenOf = (dir: string): string[] => PATHS.filter((q) => q.lastIndexOf('/') === (dir === '/' ? 0 : dir.length) && q.startsWith(dir === '/' ? '/' : dir + '/'));
const REGISTERS = ['stat', 'xattr', 'open'];
const CLIENT = (who: Caller) => `DFSClient_${who.user}`;

export class CacheWorkload {
  readonly history: History = { writes: [], reads: [] };
  #perm = 0;
  #value = 0;
  #rng: () => number;

  constructor(seed: number) {
    let s = seed >>> 0;
    this.#rng = () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  #pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.#rng() * xs.length)] as T;
  }

  /** Permissions with owner rwx (the superuser runs everything; the rest varies). */
  #nextPerm(): number {
    return 0o700 | (this.#perm++ % 64);
  }

  #write(what: string, inv: number, resp: number, effects: readonly (readonly [string, Effect])[]): void {
    for (const [register, effect] of effects) this.history.writes.push({ register, effect, inv, resp, what });
  }

  /** Every register a failed-in-an-unknown-way write could have touched. */
  #unknown(paths: readonly string[]): [string, Effect][] {
    return paths.flatMap((p) => within(p)).flatMap((q) => REGISTERS.map((r) => [`${r} ${q}`, { kind: 'any' }] as [string, Effect]));
  }

  async #run(what: string, paths: readonly string[], op: () => Promise<[string, Effect][]>): Promise<void> {
    const inv = performance.now();
    try {
      const effects = await op();
      this.#write(what, inv, performance.now(), effects);
    } catch (e) {
      // A typed refusal changed nothing; anything else may or may not have taken effect.
      if (!isNamesystemError(e) || e.kind === 'TransientStorage') this.#write(what, inv, performance.now(), this.#unknown(paths));
    }
  }

  async #read(register: string, what: string, op: () => Promise<string>): Promise<void> {
    await this.#readMany(what, async () => [[register, await op()]]);
  }

  /** One read answering several registers at once (a listing). */
  async #readMany(what: string, op: () => Promise<(readonly [string, string])[]>): Promise<void> {
    const inv = performance.now();
    try {
      const values = await op();
      const resp = performance.now();
      for (const [register, value] of values) this.history.reads.push({ register, value, inv, resp, what });
    } catch {
      // A failed read tells nothing.
    }
  }

  async mkdirs(ns: Namesystem, who: Caller, p: string): Promise<void> {
    await this.#run(`mkdirs ${p}`, [p], async () => {
      if (!(await ns.mkdirs(who, p, 0o755, true))) return [];
      return [p, ...ancestors(p)].flatMap((q) => REGISTERS.map((r) => [`${r} ${q}`, { kind: 'present' }] as [string, Effect]));
    });
  }

  async create(ns: Namesystem, who: Caller, p: string): Promise<void> {
    const perm = this.#nextPerm();
    await this.#run(`create ${p} ${perm.toString(8)}`, [p], async () => {
      await ns.create(who, { src: p, masked: perm, clientName: CLIENT(who), clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1024 * 1024 });
      return [
        [`stat ${p}`, { kind: 'exact', value: `p${perm.toString(8)}` }],
        [`xattr ${p}`, { kind: 'exact', value: 'none' }],
        [`open ${p}`, { kind: 'exact', value: 'uc' }],
      ];
    });
  }

  /** Closes a file (no blocks: nothing to wait for). */
  async complete(ns: Namesystem, who: Caller, p: string): Promise<void> {
    await this.#run(`complete ${p}`, [p], async () => {
      if (!(await ns.complete(who, p, CLIENT(who)))) return [];
      return [[`open ${p}`, { kind: 'exact', value: 'closed' }]];
    });
  }

  async delete(ns: Namesystem, who: Caller, p: string): Promise<void> {
    await this.#run(`delete ${p}`, [p], async () => {
      if (!(await ns.delete(who, p, true))) return [];
      return within(p).flatMap((q) => REGISTERS.map((r) => [`${r} ${q}`, { kind: 'absent' }] as [string, Effect]));
    });
  }

  async rename(ns: Namesystem, who: Caller, src: string, dst: string): Promise<void> {
    await this.#run(`rename ${src} ${dst}`, [src, dst], async () => {
      if (!(await ns.rename(who, src, dst))) return [];
      const gone = within(src).flatMap((q) => REGISTERS.map((r) => [`${r} ${q}`, { kind: 'absent' }] as [string, Effect]));
      const moved = REGISTERS.map((r) => [`${r} ${dst}`, { kind: 'present' }] as [string, Effect]);
      // What was under the source is now under the destination, whatever it was.
      return [...gone, ...moved, ...below(dst).flatMap((q) => REGISTERS.map((r) => [`${r} ${q}`, { kind: 'any' }] as [string, Effect]))];
    });
  }

  async setPermission(ns: Namesystem, who: Caller, p: string): Promise<void> {
    const perm = this.#nextPerm();
    await this.#run(`setPermission ${p} ${perm.toString(8)}`, [p], async () => {
      await ns.setPermission(who, p, perm);
      return [[`stat ${p}`, { kind: 'exact', value: `p${perm.toString(8)}` }]];
    });
  }

  async setXAttr(ns: Namesystem, who: Caller, p: string): Promise<void> {
    const value = `v${this.#value++}`;
    await this.#run(`setXAttr ${p} ${value}`, [p], async () => {
      await ns.setXAttr(who, p, { namespace: XAttrNamespace.USER, name: 'v', value: Buffer.from(value) }, XAttrSetFlag.CREATE | XAttrSetFlag.REPLACE);
      return [[`xattr ${p}`, { kind: 'exact', value }]];
    });
  }

  async stat(ns: Namesystem, who: Caller, p: string): Promise<void> {
    await this.#read(`stat ${p}`, `getFileInfo ${p}`, async () => {
      const s = await ns.getFileInfo(who, p);
      return s ? `p${s.permission.toString(8)}` : ABSENT;
    });
  }

  async xattr(ns: Namesystem, who: Caller, p: string): Promise<void> {
    await this.#read(`xattr ${p}`, `getXAttrs ${p}`, async () => {
      try {
        const all = await ns.getXAttrs(who, p, []);
        const v = all.find((x) => x.namespace === XAttrNamespace.USER && x.name === 'v');
        return v?.value ? v.value.toString() : 'none';
      } catch (e) {
        if (isNamesystemError(e, 'FileNotFound')) return ABSENT;
        throw e;
      }
    });
  }

  /** getListing of a directory: `stat` and `open` of each child (absent when not listed, all absent when the directory is). */
  async list(ns: Namesystem, who: Caller, dir: string): Promise<void> {
    await this.#readMany(`getListing ${dir}`, async () => {
      const page = await ns.getListing(who, dir, '');
      const listed = new Map((page?.entries ?? []).filter((e) => e.name !== '').map((e) => [e.name, e]));
      return childrenOf(dir).flatMap((child) => {
        const e = listed.get(child.slice(child.lastIndexOf('/') + 1));
        const open = !e ? ABSENT : e.type === 'directory' ? 'dir' : e.underConstruction ? 'uc' : 'closed';
        return [
          [`stat ${child}`, e ? `p${e.permission.toString(8)}` : ABSENT],
          [`open ${child}`, open],
        ] as const;
      });
    });
  }

  /** getBlockLocations (open): absent, a directory, or a file under construction or closed. */
  async open(ns: Namesystem, who: Caller, p: string): Promise<void> {
    await this.#read(`open ${p}`, `getBlockLocations ${p}`, async () => {
      try {
        return (await ns.getBlockLocations(who, p, 0, 1 << 20)).underConstruction ? 'uc' : 'closed';
      } catch (e) {
        if (isNamesystemError(e, 'FileNotFound')) return e.message.startsWith('Path is not a file') ? 'dir' : ABSENT;
        throw e;
      }
    });
  }

  /** The namespace every run starts from, made through `ns` and recorded: two directories, files in them, some closed. */
  async setUp(ns: Namesystem, who: Caller): Promise<void> {
    for (const d of DIRS.slice(0, 2)) await this.mkdirs(ns, who, d);
    const files = [...FILES.filter((f) => f.startsWith('/d0/') || f.startsWith('/d1/')), '/x'];
    for (const f of files) await this.create(ns, who, f);
    for (const f of files.filter((_, i) => i % 2 === 0)) await this.complete(ns, who, f);
  }

  /** One client: `ops` operations, two in three of them reads (getFileInfo, getListing, getBlockLocations, getXAttrs). */
  async client(ns: Namesystem, who: Caller, ops: number): Promise<void> {
    for (let i = 0; i < ops; i++) {
      const r = this.#rng();
      const file = this.#pick(FILES);
      const any = this.#pick(PATHS);
      if (r < 0.3) await this.stat(ns, who, any);
      else if (r < 0.4) await this.list(ns, who, this.#pick(LISTED));
      else if (r < 0.5) await this.open(ns, who, this.#rng() < 0.8 ? file : any);
      else if (r < 0.66) await this.xattr(ns, who, any);
      else if (r < 0.71) await this.create(ns, who, file);
      else if (r < 0.74) await this.complete(ns, who, file);
      else if (r < 0.78) await this.delete(ns, who, this.#rng() < 0.8 ? file : this.#pick(DIRS));
      else if (r < 0.84) await (this.#rng() < 0.6 ? this.rename(ns, who, file, this.#pick(FILES)) : this.rename(ns, who, this.#pick(DIRS), this.#pick(DIRS)));
      else if (r < 0.86) await this.mkdirs(ns, who, this.#pick(DIRS));
      else if (r < 0.93) await this.setPermission(ns, who, any);
      else await this.setXAttr(ns, who, any);
    }
  }
}
