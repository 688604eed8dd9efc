// Live charts of calls/s and mean latency per method, from deltas of every namenode's own counters.
import { el, fillTable, fmtCount, getJson } from './util.js';

export const INTERVAL_MS = 2000;
const KEEP = 90;
const MAX_SERIES = 8;
const COLORS = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#e67700', '#495057'];
const SVG = 'http://www.w3.org/2000/svg';

let previous = null;
const history = [];
let totals = new Map();

/** One sample: rates and mean latencies per method over the interval since the last one. */
export async function sampleCalls() {
  const { at, namenodes } = await getJson('/ui/api/fleet-calls');
  const now = new Map();
  const since = new Map();
  for (const nn of namenodes) {
    for (const c of nn.calls ?? []) {
      now.set(`${nn.id}|${c.method}|${c.outcome}`, c);
      const t = since.get(c.method) ?? 0;
      since.set(c.method, t + c.count);
    }
  }
  totals = since;
  if (previous) {
    const dt = (at - previous.at) / 1000;
    const per = new Map();
    for (const [key, c] of now) {
      const before = previous.calls.get(key);
      // A namenode that restarted counts from zero again.
      const dCount = before && before.count <= c.count ? c.count - before.count : c.count;
      const dSeconds = before && before.seconds <= c.seconds ? c.seconds - before.seconds : c.seconds;
      const m = per.get(c.method) ?? { calls: 0, errors: 0, seconds: 0 };
      m.calls += dCount;
      m.seconds += dSeconds;
      if (c.outcome === 'error') m.errors += dCount;
      per.set(c.method, m);
    }
    if (dt > 0) {
      const methods = new Map([...per].map(([method, m]) => [method, { rate: m.calls / dt, errors: m.errors / dt, latencyMs: m.calls > 0 ? (1000 * m.seconds) / m.calls : null }]));
      history.push({ at, methods });
      if (history.length > KEEP) history.shift();
    }
  }
  previous = { at, calls: now };
}

export function renderCharts() {
  document.getElementById('chart-interval').textContent = String(INTERVAL_MS / 1000);
  const last = history[history.length - 1];
  const ranked = last ? [...last.methods].sort((a, b) => b[1].rate - a[1].rate || (totals.get(b[0]) ?? 0) - (totals.get(a[0]) ?? 0)) : [];
  // The busiest methods of the last interval, and any other that ran within the window, up to MAX_SERIES.
  const names = [...new Set([...ranked.filter(([, m]) => m.rate > 0).map(([n]) => n), ...recentMethods()])].slice(0, MAX_SERIES);
  drawChart(document.getElementById('chart-rate'), names, (m) => m?.rate ?? 0);
  drawChart(document.getElementById('chart-latency'), names, (m) => (m && m.latencyMs !== null ? m.latencyMs : null));
  const rows = ranked.filter(([n, m]) => m.rate > 0 || totals.get(n)).map(([method, m]) =>
    el('tr', { 'data-method': method },
      el('th', { scope: 'row' }, method),
      el('td', { class: 'num' }, m.rate.toFixed(1)),
      el('td', { class: 'num' }, m.errors.toFixed(1)),
      el('td', { class: 'num' }, m.latencyMs === null ? '–' : m.latencyMs.toFixed(2)),
      el('td', { class: 'num' }, fmtCount(totals.get(method) ?? 0)),
    ));
  if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, history.length ? 'No calls yet.' : 'Collecting the first interval…')));
  fillTable(document.querySelector('#calls-table tbody'), rows);
}

function recentMethods() {
  const seen = new Map();
  for (const h of history) for (const [n, m] of h.methods) seen.set(n, (seen.get(n) ?? 0) + m.rate);
  return [...seen].filter(([, r]) => r > 0).sort((a, b) => b[1] - a[1]).map(([n]) => n);
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p;
}

function drawChart(node, names, valueOf) {
  const W = 720, H = 260, L = 56, R = 10, T = 10, B = 28;
  const values = history.flatMap((h) => names.map((n) => valueOf(h.methods.get(n)))).filter((v) => v !== null);
  const max = niceMax(Math.max(0, ...values));
  // The window grows with the history up to KEEP samples, so the first minutes are not squeezed to the right edge.
  const span = Math.min(KEEP, Math.max(30, history.length));
  const x = (i) => L + ((W - L - R) * i) / (span - 1);
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const parts = [];
  for (let g = 0; g <= 4; g++) {
    const v = (max * g) / 4;
    parts.push(svg('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    parts.push(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, `${+v.toPrecision(3)}`));
  }
  parts.push(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  parts.push(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  parts.push(svg('text', { x: L, y: H - 8 }, `−${((span - 1) * INTERVAL_MS) / 1000} s`));
  parts.push(svg('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }, 'now'));
  const offset = span - history.length;
  names.forEach((name, s) => {
    const points = history
      .map((h, i) => [i, valueOf(h.methods.get(name))])
      .filter(([, v]) => v !== null)
      .map(([i, v]) => `${x(offset + i).toFixed(1)},${y(v).toFixed(1)}`);
    if (points.length > 0) parts.push(svg('polyline', { class: 'series', 'data-method': name, stroke: COLORS[s % COLORS.length], points: points.join(' ') }));
  });
  node.replaceChildren(...parts);
  const legend = node.parentElement.querySelector('.legend') ?? node.parentElement.appendChild(el('div', { class: 'legend' }));
  legend.replaceChildren(
    ...names.map((n, s) => {
      const item = el('span', {}, n);
      // Through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
      item.style.setProperty('--c', COLORS[s % COLORS.length]);
      return item;
    }),
  );
}
