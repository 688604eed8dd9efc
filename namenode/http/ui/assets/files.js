// The file browser: a directory listing over WebHDFS with details, block locations, upload, download, mkdir and delete.
import { el, fillTable, fmtBytes, fmtCount, fmtPermission, fmtTime } from './util.js';
import { upload, webhdfs, webhdfsUrl } from './webhdfs.js';

let current = '/';
let say = () => {};

const join = (dir, name) => (dir === '/' ? `/${name}` : `${dir}/${name}`);
const browseHref = (path) => `#browse${path.split('/').map(encodeURIComponent).join('/')}`;

/** The HDFS path a #browse/… hash names. */
export function pathOfHash(hash) {
  const rest = hash.replace(/^#browse/, '') || '/';
  try {
    const decoded = rest.split('/').map(decodeURIComponent).join('/');
    return decoded.replace(/\/+$/, '') || '/';
  } catch {
    return '/';
  }
}

export function initFiles(status) {
  say = status;
  document.getElementById('goto-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const p = document.getElementById('goto-path').value.trim() || '/';
    location.hash = browseHref(p.startsWith('/') ? p : `/${p}`);
  });
  document.getElementById('mkdir-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = document.getElementById('mkdir-name');
    const name = input.value.trim();
    if (!name) return;
    act(`Created directory ${join(current, name)}`, async () => {
      await webhdfs('PUT', join(current, name), 'MKDIRS');
      input.value = '';
    });
  });
  document.getElementById('upload-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = document.getElementById('upload-file');
    const file = input.files?.[0];
    if (!file) return;
    act(`Uploaded ${join(current, file.name)} (${fmtBytes(file.size)})`, async () => {
      await upload(join(current, file.name), file, false);
      input.value = '';
    });
  });
  document.getElementById('close-details').addEventListener('click', () => {
    document.getElementById('file-details').hidden = true;
  });
}

async function act(done, run) {
  try {
    await run();
    say(done, 'info');
    await renderListing(current);
  } catch (err) {
    say(err.message, 'error');
  }
}

export async function renderBrowse(hash) {
  current = pathOfHash(hash);
  document.getElementById('goto-path').value = current;
  renderCrumbs(current);
  document.getElementById('file-details').hidden = true;
  await renderListing(current);
}

function renderCrumbs(path) {
  const parts = path.split('/').filter(Boolean);
  const items = [el('li', {}, el('a', { href: '#browse/', 'aria-label': 'Root directory' }, '/'))];
  parts.forEach((name, i) => {
    const p = `/${parts.slice(0, i + 1).join('/')}`;
    const last = i === parts.length - 1;
    items.push(el('li', {}, el('a', { href: browseHref(p), 'aria-current': last ? 'location' : undefined }, name)));
  });
  document.getElementById('crumbs').replaceChildren(...items);
}

async function renderListing(dir) {
  const tbody = document.querySelector('#listing tbody');
  let statuses;
  try {
    statuses = (await webhdfs('GET', dir, 'LISTSTATUS')).FileStatuses.FileStatus;
  } catch (err) {
    fillTable(tbody, [el('tr', {}, el('td', { colspan: 10 }, `Cannot list ${dir}: ${err.message}`))]);
    throw err;
  }
  const rows = statuses.map((s) => {
    const path = join(dir, s.pathSuffix);
    const isDir = s.type === 'DIRECTORY';
    const name = isDir
      ? el('a', { href: browseHref(path) }, `${s.pathSuffix}/`)
      : el('button', { type: 'button', class: 'linklike', onclick: () => showDetails(path) }, s.pathSuffix);
    return el('tr', { 'data-name': s.pathSuffix, 'data-type': s.type },
      el('th', { scope: 'row' }, name),
      el('td', {}, s.type.toLowerCase()),
      el('td', { class: 'mono' }, fmtPermission(s.type, s.permission)),
      el('td', {}, s.owner),
      el('td', {}, s.group),
      el('td', { class: 'num', title: `${fmtCount(s.length)} bytes` }, isDir ? '' : fmtBytes(s.length)),
      el('td', { class: 'num' }, isDir ? '' : String(s.replication)),
      el('td', { class: 'num' }, isDir ? '' : fmtBytes(s.blockSize)),
      el('td', {}, fmtTime(s.modificationTime)),
      el('td', {},
        isDir ? null : el('a', { href: webhdfsUrl(path, 'OPEN'), 'aria-label': `Download ${s.pathSuffix}` }, 'Download'), ' ',
        el('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${s.pathSuffix}`, onclick: () => remove(path, isDir) }, 'Delete')),
    );
  });
  if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'This directory is empty.')));
  fillTable(tbody, rows);
}

function remove(path, isDir) {
  if (!confirm(`Delete ${path}${isDir ? ' and everything under it' : ''}?`)) return;
  void act(`Deleted ${path}`, () => webhdfs('DELETE', path, 'DELETE', { recursive: String(isDir) }));
}

async function showDetails(path) {
  try {
    const [{ FileStatus: s }, { LocatedBlocks: lb }] = await Promise.all([webhdfs('GET', path, 'GETFILESTATUS'), webhdfs('GET', path, 'GET_BLOCK_LOCATIONS')]);
    const facts = [
      ['Path', path], ['Size', `${fmtBytes(s.length)} (${fmtCount(s.length)} bytes)`], ['Owner', s.owner], ['Group', s.group],
      ['Permission', fmtPermission(s.type, s.permission)], ['Replication', String(s.replication)], ['Block size', fmtBytes(s.blockSize)],
      ['Modified', fmtTime(s.modificationTime)], ['Accessed', fmtTime(s.accessTime)], ['Inode id', String(s.fileId)],
    ];
    document.getElementById('file-status').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    document.getElementById('file-download').href = webhdfsUrl(path, 'OPEN');
    const blocks = lb.locatedBlocks.map((b) => el('tr', { 'data-block': b.block.blockId },
      el('td', {}, `blk_${b.block.blockId}_${b.block.generationStamp}`),
      el('td', { class: 'num' }, fmtCount(b.startOffset)),
      el('td', { class: 'num' }, fmtCount(b.block.numBytes)),
      el('td', {}, b.locations.map((l) => `${l.hostName} (${l.ipAddr}:${l.xferPort})`).join(', ') || 'no live replica'),
    ));
    if (blocks.length === 0) blocks.push(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'The file has no blocks.')));
    fillTable(document.querySelector('#file-blocks tbody'), blocks);
    const details = document.getElementById('file-details');
    details.hidden = false;
    document.getElementById('h-file').textContent = `File details: ${path}`;
    document.getElementById('h-file').focus();
  } catch (err) {
    say(err.message, 'error');
  }
}
