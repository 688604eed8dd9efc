// Small helpers shared by the pages: building elements, formatting, fetching JSON.

/** An element with attributes and children (strings become text, never HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  return node;
}

export function fillTable(tbody, rows) {
  tbody.replaceChildren(...rows);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
export function fmtBytes(n) {
  let v = Number(n);
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

export function fmtCount(n) {
  return Number(n).toLocaleString('en-US');
}

export function fmtDuration(ms) {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

export function fmtTime(ms) {
  return new Date(ms).toLocaleString('sv-SE');
}

/** rwxr-x--- from the octal string WebHDFS gives. */
export function fmtPermission(type, octal) {
  const bits = parseInt(octal, 8);
  const rwx = ['r', 'w', 'x'];
  let s = type === 'DIRECTORY' ? 'd' : type === 'SYMLINK' ? 'l' : '-';
  for (let i = 8; i >= 0; i--) s += bits & (1 << i) ? rwx[(8 - i) % 3] : '-';
  return s;
}

/** GET of one of the UI's JSON resources (same origin). */
export async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || body.message || `${res.status} ${res.statusText}`);
  return body;
}

export function badge(text, kind) {
  return el('span', { class: `badge ${kind}` }, text);
}
