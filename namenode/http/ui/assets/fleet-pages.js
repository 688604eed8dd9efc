// Overview, datanodes and namenodes: the fleet as /ui/api/* reports it.
import { badge, el, fillTable, fmtBytes, fmtCount, fmtDuration, getJson } from './util.js';

/** Shows `text`; `raw` (the number behind it) goes to data-value, for scripts and tests. */
function setField(root, name, text, raw = text) {
  const node = root.querySelector(`[data-field="${name}"]`);
  if (!node) return;
  node.textContent = text;
  node.dataset.value = String(raw);
}

function namenodeCells(n) {
  return [
    el('td', { class: 'num' }, String(n.id), n.self ? el('span', { class: 'muted' }, ' (this one)') : null),
    el('td', {}, n.leader ? badge('Leader', 'lead') : 'Member'),
    el('td', { title: n.health }, n.healthy ? badge('Healthy', 'ok') : badge('Unhealthy', 'bad'), n.healthy ? null : el('span', { class: 'muted' }, ` ${n.health}`)),
    el('td', {}, n.rpcAddress),
    el('td', {}, n.httpAddress),
    el('td', {}, fmtDuration(n.uptimeMs)),
    el('td', {}, `${(n.heartbeatAgeMs / 1000).toFixed(1)} s ago`),
  ];
}

export async function renderOverview() {
  const o = await getJson('/ui/api/overview');
  const root = document.getElementById('page-overview');
  document.getElementById('cluster-name').textContent = o.clusterId;
  setField(root, 'clusterId', o.clusterId);
  setField(root, 'namespaceId', String(o.namespaceId));
  setField(root, 'blockPoolId', o.blockPoolId);
  setField(root, 'version', `nnfleet ${o.version}`);
  setField(root, 'servedBy', `namenode ${o.servedBy.id}${o.servedBy.leader ? ' (leader)' : ''}, up ${fmtDuration(Date.now() - o.servedBy.startedAt)}`);
  setField(root, 'files', fmtCount(o.totals.files), o.totals.files);
  setField(root, 'directories', fmtCount(o.totals.directories), o.totals.directories);
  setField(root, 'symlinks', fmtCount(o.totals.symlinks), o.totals.symlinks);
  setField(root, 'blocks', fmtCount(o.totals.blocks), o.totals.blocks);
  setField(root, 'underReplicated', fmtCount(o.blocks.underReplicated), o.blocks.underReplicated);
  setField(root, 'pendingDeletion', fmtCount(o.blocks.pendingDeletion), o.blocks.pendingDeletion);
  const used = o.capacity.total > 0 ? o.capacity.used / o.capacity.total : 0;
  document.getElementById('capacity-meter').value = used;
  setField(root, 'percentUsed', `${(100 * used).toFixed(2)} % used`);
  setField(root, 'capacity', fmtBytes(o.capacity.total), o.capacity.total);
  setField(root, 'used', fmtBytes(o.capacity.used), o.capacity.used);
  setField(root, 'nonDfsUsed', fmtBytes(o.capacity.nonDfsUsed), o.capacity.nonDfsUsed);
  setField(root, 'remaining', fmtBytes(o.capacity.remaining), o.capacity.remaining);
  setField(root, 'liveDatanodes', String(o.datanodes.live));
  setField(root, 'deadDatanodes', String(o.datanodes.dead));
  setField(root, 'decommissioningDatanodes', String(o.datanodes.decommissioning));
  fillTable(root.querySelector('#overview-namenodes tbody'), o.namenodes.map((n) => el('tr', { 'data-namenode': n.id }, namenodeCells(n))));
}

export async function renderDatanodes() {
  const list = await getJson('/ui/api/datanodes');
  const rows = list.map((d) =>
    el('tr', { 'data-uuid': d.uuid, 'data-liveness': d.liveness },
      el('th', { scope: 'row' }, d.hostName, el('div', { class: 'muted' }, d.uuid)),
      el('td', {}, d.liveness === 'live' ? badge('Live', 'ok') : badge('Dead', 'bad')),
      el('td', {}, d.adminState === 'In Service' ? d.adminState : badge(d.adminState, 'warn')),
      el('td', {}, d.xferAddr),
      el('td', {}, d.infoAddr),
      el('td', {}, `${d.lastContactSeconds} s ago`),
      el('td', { class: 'num' }, fmtBytes(d.capacity)),
      el('td', { class: 'num' }, fmtBytes(d.used)),
      el('td', { class: 'num' }, fmtBytes(d.remaining)),
      el('td', { class: 'num' }, fmtCount(d.blocks)),
    ));
  if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: 10 }, 'No datanode has registered yet.')));
  fillTable(document.querySelector('#datanodes-table tbody'), rows);
}

export async function renderNamenodes() {
  const list = await getJson('/ui/api/namenodes');
  fillTable(
    document.querySelector('#namenodes-table tbody'),
    list.map((n) => el('tr', { 'data-namenode': n.id }, namenodeCells(n), el('td', {}, el('a', { href: `http://${n.httpAddress}/` }, `Open namenode ${n.id}`)))),
  );
}
