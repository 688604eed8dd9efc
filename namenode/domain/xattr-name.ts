import { XAttrNamespace, type XAttr } from './xattr';

const PREFIXES: readonly [string, XAttrNamespace][] = [
  ['user', XAttrNamespace.USER],
  ['trusted', XAttrNamespace.TRUSTED],
  ['security', XAttrNamespace.SECURITY],
  ['system', XAttrNamespace.SYSTEM],
  ['raw', XAttrNamespace.RAW],
];

/** What Hadoop's XAttrNameParam accepts: `namespace.name`, the prefix case-insensitive. */
export const XATTR_NAME_PATTERN = '^(user\\.|trusted\\.|system\\.|security\\.|raw\\.).+$';

/** `namespace.name` as every front door spells an xattr's name; undefined when it does not match XATTR_NAME_PATTERN. */
export function xattrOfName(text: string): XAttr | undefined {
  const dot = text.indexOf('.');
  const ns = PREFIXES.find(([p]) => p === text.slice(0, dot).toLowerCase());
  if (dot <= 0 || dot === text.length - 1 || !ns) return undefined;
  return { namespace: ns[1], name: text.slice(dot + 1) };
}

export const prefixedXAttrName = (x: XAttr): string => `${PREFIXES.find(([, n]) => n === x.namespace)?.[0] ?? 'user'}.${x.name}`;
