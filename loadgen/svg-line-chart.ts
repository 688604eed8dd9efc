export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  /** When given, x values are indices into these labels (e.g. percentiles). */
  readonly xCategories?: readonly string[];
  readonly width?: number;
  readonly height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#843c39'];
const MARGIN = { left: 64, right: 150, top: 28, bottom: 44 };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 1, 2 or 5 × 10^k at or above x: tick steps people can read. */
function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

function label(v: number): string {
  if (v !== 0 && Math.abs(v) < 0.01) return v.toExponential(0);
  return Number(v.toPrecision(4)).toString();
}

/**
 * A self-contained SVG line chart (no script, no external resource): axes
 * with readable ticks, one polyline per series, a legend at the right.
 */
export function renderLineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 300;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = spec.series.flatMap((s) => s.points);
  const xMax = spec.xCategories ? Math.max(1, spec.xCategories.length - 1) : Math.max(1, ...all.map(([x]) => x));
  const yTop = Math.max(...all.map(([, y]) => y), 0);
  const yStep = niceStep(yTop > 0 ? yTop : 1, 5);
  const yMax = Math.max(yStep, Math.ceil(yTop / yStep) * yStep);
  const sx = (x: number): number => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - (y / yMax) * plotH;

  const parts: string[] = [];
  parts.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeXml(spec.title)}</text>`);
  for (let y = 0; y <= yMax + yStep / 2; y += yStep) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${sy(y) + 4}" text-anchor="end">${label(y)}</text>`);
  }
  const xTicks = spec.xCategories
    ? spec.xCategories.map((c, i) => [i, c] as const)
    : (() => {
        const step = niceStep(xMax, 8);
        const out: (readonly [number, string])[] = [];
        for (let x = 0; x <= xMax + step / 2; x += step) out.push([x, label(x)]);
        return out;
      })();
  for (const [x, text] of xTicks) {
    parts.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#333"/>`);
    parts.push(`<text x="${sx(x)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escapeXml(text)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline class="series" data-series="${escapeXml(s.name)}" fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`,
    );
    const ly = MARGIN.top + 10 + i * 16;
    parts.push(`<rect x="${width - MARGIN.right + 12}" y="${ly - 8}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${width - MARGIN.right + 28}" y="${ly + 1}">${escapeXml(s.name)}</text>`);
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="sans-serif" font-size="11">${parts.join('')}</svg>`
  );
}
