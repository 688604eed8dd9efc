import { REPORTED_PERCENTILES } from './latency-histogram';
import type { LoadgenReport, PhaseResult } from './loadgen-result';
import { errorLines, machineLine, opRow } from './result-table';
import { escapeXml, renderLineChart } from './svg-line-chart';
import type { TextColumn } from './text-table';

/** An extra table above the phases (the benchmark's summary against the database limit). */
export interface SummaryTable {
  readonly title: string;
  readonly columns: readonly TextColumn[];
  readonly rows: readonly (readonly string[])[];
  readonly notes?: readonly string[];
}

const OP_FIELDS = ['op', 'count', 'opsPerSec', 'meanMs', 'p50Ms', 'p90Ms', 'p99Ms', 'maxMs', 'errors'];
const OP_TITLES = ['op', 'count', 'ops/s', 'mean ms', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'];

const STYLE = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}.note{color:#555}.charts{display:flex;flex-wrap:wrap;gap:8px}
section{margin-top:28px;border-top:1px solid #ddd}`;

/**
 * A self-contained HTML report: tables and inline SVG charts, no script and
 * no external resource, so it opens offline and can be mailed around. The
 * run's JSON is embedded too, for whoever wants the raw numbers.
 */
export function renderHtmlReport(report: LoadgenReport, summary?: SummaryTable | readonly SummaryTable[], extraJson?: unknown): string {
  const summaries: readonly SummaryTable[] = summary === undefined ? [] : isSummaryList(summary) ? summary : [summary];
  const title = `nnfleet loadgen ${report.mode} — ${report.startedAt}`;
  const body = [
    `<h1>${escapeXml(title)}</h1>`,
    `<p>namenodes: ${escapeXml(report.namenodes.join(', '))}</p>`,
    `<p class="note" id="data-path">data path: ${escapeXml(report.dataPath)}</p>`,
    ...summaries.map((s, i) => renderSummary(s, i === 0 ? 'summary' : `summary-${i + 1}`)),
    ...report.phases.map((p, i) => renderPhase(p, i)),
  ];
  const json = JSON.stringify(extraJson ?? report).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>${body.join('\n')}<script type="application/json" id="report-json">${json}</script></body></html>\n`;
}

function isSummaryList(s: SummaryTable | readonly SummaryTable[]): s is readonly SummaryTable[] {
  return Array.isArray(s);
}

function renderSummary(s: SummaryTable, id: string): string {
  const head = s.columns.map((c) => `<th>${escapeXml(c.title)}</th>`).join('');
  const rows = s.rows.map((r) => `<tr>${r.map((cell, i) => `<td data-col="${i}">${escapeXml(cell)}</td>`).join('')}</tr>`).join('');
  const notes = (s.notes ?? []).map((n) => `<p class="note">${escapeXml(n)}</p>`).join('');
  return `<section id="${id}"><h2>${escapeXml(s.title)}</h2><table>${`<tr>${head}</tr>`}${rows}</table>${notes}</section>`;
}

function renderPhase(p: PhaseResult, index: number): string {
  const head = OP_TITLES.map((t) => `<th>${t}</th>`).join('');
  const rows = p.ops
    .map((o) => {
      const cells = opRow(o).map((v, i) => `<td data-field="${OP_FIELDS[i]}">${escapeXml(v)}</td>`);
      return `<tr data-op="${escapeXml(o.op)}">${cells.join('')}</tr>`;
    })
    .join('');
  const errors = [...errorLines(p), ...machineLine(p)].map((l) => `<p class="note">${escapeXml(l.trim())}</p>`).join('');
  const interval = p.timeline.intervalMs;
  const throughput = renderLineChart({
    title: 'throughput over time',
    xLabel: 'seconds',
    yLabel: 'ops/s',
    series: Object.entries(p.timeline.series).map(([name, counts]) => ({
      name,
      // Each interval plotted at its end, from the origin, so a short run still draws a line. The last
      // interval is usually partial: divide by its real length, but by at least a quarter interval so a
      // sliver at the end cannot spike.
      points: [
        [0, 0] as const,
        ...counts.map((c, i) => {
          const end = Math.min((i + 1) * interval, Math.max(p.durationMs, interval * i + interval / 4));
          return [end / 1000, (c * 1000) / (end - i * interval)] as const;
        }),
      ],
    })),
  });
  const latency = renderLineChart({
    title: 'latency by percentile',
    xLabel: 'percentile',
    yLabel: 'ms',
    xCategories: REPORTED_PERCENTILES.map((q) => `p${q}`),
    series: p.ops.filter((o) => o.count > 0).map((o) => ({ name: o.op, points: o.latency.percentiles.map(([, ms], i) => [i, ms] as const) })),
  });
  const facts = `${p.threads} threads, ${(p.durationMs / 1000).toFixed(1)} s, ${p.totalOps} ops, ${p.opsPerSec.toFixed(1)} ops/s, ${p.totalErrors} errors`;
  return (
    `<section class="phase" data-phase="${index}"><h2>${escapeXml(p.name)}</h2><p>${facts}</p>` +
    `<table><tr>${head}</tr>${rows}</table>${errors}<div class="charts">${throughput}${latency}</div></section>`
  );
}
