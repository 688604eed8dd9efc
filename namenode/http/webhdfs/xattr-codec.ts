import type { XAttr } from '../../domain/xattr';
import { prefixedXAttrName, XATTR_NAME_PATTERN, xattrOfName } from '../../domain/xattr-name';
import { invalidParam } from './invalid-param';

/** XAttrNameParam: `namespace.name`, the namespace prefix case-insensitive. */
export function parseXAttrName(param: string, text: string): XAttr {
  const x = xattrOfName(text);
  if (!x) throw invalidParam(param, text, `"${text}" does not match ${XATTR_NAME_PATTERN}`);
  return x;
}

export { prefixedXAttrName };

export type XAttrEncoding = 'TEXT' | 'HEX' | 'BASE64';

/** XAttrCodec.encodeValue: hex as 0x…, base64 as 0s…, text in double quotes. */
export function encodeXAttrValue(value: Buffer, encoding: XAttrEncoding): string {
  if (encoding === 'HEX') return `0x${value.toString('hex')}`;
  if (encoding === 'BASE64') return `0s${value.toString('base64')}`;
  return `"${value.toString('utf8')}"`;
}

/** XAttrCodec.decodeValue: a quoted string's UTF-8, 0x hex, 0s base64, else the text's UTF-8. */
export function decodeXAttrValue(param: string, text: string): Buffer {
  if (text.length >= 2) {
    if (text.startsWith('"') && text.endsWith('"')) return Buffer.from(text.slice(1, -1), 'utf8');
    const prefix = text.slice(0, 2).toLowerCase();
    if (prefix === '0x') {
      const hex = text.slice(2);
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw invalidParam(param, text, `"${text}" is not valid hex`);
      return Buffer.from(hex, 'hex');
    }
    if (prefix === '0s') return Buffer.from(text.slice(2), 'base64');
  }
  return Buffer.from(text, 'utf8');
}
