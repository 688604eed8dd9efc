import { MAX_COMPONENT_BYTES, parsePath } from '../../../namenode/path/hdfs-path';
import { isNamesystemError } from '../../../namenode/errors';

const kindOf = (src: string): string => {
  try {
    parsePath(src);
    return 'ok';
  } catch (err) {
    return isNamesystemError(err) ? err.kind : String(err);
  }
};

test('the text is the path without a trailing slash; components exclude the root', () => {
  expect(parsePath('/')).toEqual({ text: '/', components: [] });
  expect(parsePath('/a')).toEqual({ text: '/a', components: ['a'] });
  expect(parsePath('/a/b/')).toEqual({ text: '/a/b', components: ['a', 'b'] });
  expect(parsePath('/dir-1/ü/员工')).toEqual({ text: '/dir-1/ü/员工', components: ['dir-1', 'ü', '员工'] });
});

test('empty, dot and colon names are refused wherever they stand', () => {
  for (const bad of ['//', '/a//b', '/a/./b', '/a/..', '/a:b', '/a/b:', '/x/\0', '/.', 'a/b', '']) expect(kindOf(bad)).toBe('InvalidPath');
});

test('a name is limited in UTF-8 bytes, not characters', () => {
  expect(kindOf(`/${'a'.repeat(MAX_COMPONENT_BYTES)}`)).toBe('ok');
  expect(kindOf(`/${'a'.repeat(MAX_COMPONENT_BYTES + 1)}`)).toBe('PathComponentTooLong');
  // 85 three-byte characters are 255 bytes; one more is over.
  expect(kindOf(`/d/${'员'.repeat(85)}`)).toBe('ok');
  expect(kindOf(`/d/${'员'.repeat(86)}`)).toBe('PathComponentTooLong');
  // 128 two-byte characters (256 bytes) are over, though far fewer than 255 characters.
  expect(kindOf(`/${'é'.repeat(127)}x`)).toBe('ok');
  expect(kindOf(`/${'é'.repeat(128)}`)).toBe('PathComponentTooLong');
  // Four bytes per surrogate pair: 63 pairs (252 bytes) fit, 64 (256) do not.
  expect(kindOf(`/${'𝄞'.repeat(63)}`)).toBe('ok');
  expect(kindOf(`/${'𝄞'.repeat(64)}`)).toBe('PathComponentTooLong');
});

test('the first bad name decides the error, as before', () => {
  expect(kindOf(`/${'a'.repeat(300)}/b:c`)).toBe('PathComponentTooLong');
  expect(kindOf(`/b:c/${'a'.repeat(300)}`)).toBe('InvalidPath');
});
