/** VARBINARY comparison: by UTF-8 bytes, not by UTF-16 code units as `<` on strings would. */
export const compareBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
