/** Longest parameter value accepted (paths, ACL specs, xattr values are far shorter): bounds what a request makes us hold. */
const MAX_VALUE_LENGTH = 64 * 1024;

/**
 * Hadoop's web/resources Param classes reject a bad value with an
 * IllegalArgumentException (a 400 answer) worded like this.
 */
export const invalidParamMessage = (name: string, value: string, why: string): string => `Invalid value for webhdfs parameter "${name}": ${why || `"${value}"`}`;

/** How a front door raises that IllegalArgumentException: its own typed error, mapped by its one error mapping. */
export type IllegalArgument = (message: string) => Error;

/**
 * A request's query parameters, validated as Hadoop's Param classes do:
 * names case-insensitive (ParamFilter lowercases them), booleans "true" or
 * "false", numbers in range, permissions octal.
 */
export class WebHdfsParams {
  readonly #values = new Map<string, string[]>();
  readonly #illegal: IllegalArgument;

  constructor(search: URLSearchParams, illegal: IllegalArgument) {
    this.#illegal = illegal;
    for (const [k, v] of search) {
      if (v.length > MAX_VALUE_LENGTH) throw this.invalid(k, '', `value longer than ${MAX_VALUE_LENGTH} characters`);
      const key = k.toLowerCase();
      this.#values.set(key, [...(this.#values.get(key) ?? []), v]);
    }
  }

  /** The value, or undefined when absent or empty (Hadoop treats an empty value as the default). */
  str(name: string): string | undefined {
    const v = this.#values.get(name)?.[0];
    return v === undefined || v === '' || v === 'null' ? undefined : v;
  }

  all(name: string): string[] {
    return (this.#values.get(name) ?? []).filter((v) => v !== '');
  }

  required(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw this.invalid(name, '', `the parameter "${name}" is required`);
    return v;
  }

  bool(name: string, dflt: boolean): boolean {
    const v = this.str(name);
    if (v === undefined) return dflt;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw this.invalid(name, v, `Failed to parse "${v}" to Boolean.`);
  }

  /** An integer in [min, max] (Hadoop's IntegerParam/LongParam/ShortParam domains). */
  int(name: string, dflt: number, min: number, max: number): number {
    const v = this.str(name);
    if (v === undefined) return dflt;
    const n = /^-?\d{1,19}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw this.invalid(name, v, `Failed to parse "${v}" as a number in [${min}, ${max}].`);
    return n;
  }

  /** An octal permission, sticky bit allowed (PermissionParam: radix 8, at most 01777). */
  permission(name: string, dflt: number): number {
    const v = this.str(name);
    if (v === undefined) return dflt;
    const n = /^[0-7]{1,4}$/.test(v) ? parseInt(v, 8) : NaN;
    if (!(n >= 0 && n <= 0o1777)) throw this.invalid(name, v, `Failed to parse "${v}" as a radix-8 short in [0, 1777].`);
    return n;
  }

  /** One of a fixed set of names, upper-cased as Hadoop's EnumParam does. */
  oneOf<T extends string>(name: string, allowed: readonly T[], dflt: T | undefined, enumClass: string): T | undefined {
    const v = this.str(name);
    if (v === undefined) return dflt;
    const upper = v.toUpperCase();
    if (!(allowed as readonly string[]).includes(upper)) throw this.invalid(name, v, `No enum constant ${enumClass}.${upper}`);
    return upper as T;
  }

  /** The IllegalArgumentException for a bad value of `name`. */
  invalid(name: string, value: string, why: string): Error {
    return this.#illegal(invalidParamMessage(name, value, why));
  }

  /** Every parameter as sent, for a redirect that carries them on. */
  entries(): [string, string][] {
    return [...this.#values].flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]));
  }
}
