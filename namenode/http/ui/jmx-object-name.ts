/**
 * A JMX ObjectName or ObjectName pattern, as JMXJsonServlet's `qry` and
 * `get` take them: `domain:key=value,…`, `*` and `?` wildcards in the
 * domain and in values, a trailing `,*` (or a lone `*`) for "any other
 * keys too". Enough of javax.management.ObjectName for the beans nnfleet
 * serves; anything else is malformed.
 */
export interface ObjectNamePattern {
  readonly domain: RegExp;
  readonly keys: ReadonlyMap<string, RegExp>;
  /** Other keys may be present (a property-list pattern). */
  readonly open: boolean;
}

export class MalformedObjectName extends Error {}

const MAX_NAME_LENGTH = 1024;

export function parseObjectNamePattern(text: string): ObjectNamePattern {
  if (text.length > MAX_NAME_LENGTH) throw new MalformedObjectName(`ObjectName longer than ${MAX_NAME_LENGTH} characters`);
  const colon = text.indexOf(':');
  if (colon < 0) throw new MalformedObjectName(`Domain part must be specified: ${text}`);
  const domain = text.slice(0, colon);
  const props = text.slice(colon + 1);
  if (props === '') throw new MalformedObjectName(`Key properties cannot be empty: ${text}`);
  const keys = new Map<string, RegExp>();
  let open = false;
  for (const part of props.split(',')) {
    if (part === '*') {
      if (open) throw new MalformedObjectName(`Cannot have several '*' characters in pattern properties: ${text}`);
      open = true;
      continue;
    }
    const eq = part.indexOf('=');
    if (eq <= 0) throw new MalformedObjectName(`Unterminated key property part: ${part}`);
    const key = part.slice(0, eq);
    if (/[*?:=]/.test(key)) throw new MalformedObjectName(`Invalid character in key: ${key}`);
    if (keys.has(key)) throw new MalformedObjectName(`key \`${key}' already defined`);
    keys.set(key, glob(part.slice(eq + 1)));
  }
  return { domain: glob(domain), keys, open };
}

export function matchesObjectName(pattern: ObjectNamePattern, name: string): boolean {
  const colon = name.indexOf(':');
  if (!pattern.domain.test(name.slice(0, colon))) return false;
  const props = new Map(name.slice(colon + 1).split(',').map((p) => p.split('=') as [string, string]));
  for (const [key, value] of pattern.keys) {
    const actual = props.get(key);
    if (actual === undefined || !value.test(actual)) return false;
  }
  return pattern.open || props.size === pattern.keys.size;
}

function glob(text: string): RegExp {
  const body = text.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
