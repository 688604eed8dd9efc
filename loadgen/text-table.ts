export interface TextColumn {
  readonly title: string;
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
}

/** A plain monospace table: header, rule, rows; every cell already formatted. */
export function formatTextTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const w = widths[i] as number;
        return columns[i]?.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Fixed decimals; ops/s and ms in tables and in the HTML report use the same formatting. */
export function fmt(x: number, decimals: number): string {
  return x.toFixed(decimals);
}

/** A share (0–1) as a whole percentage, without the sign: the machine's idle and steal columns. */
export const wholePercent = (share: number): string => fmt(share * 100, 0);
