// The page's router: one section per hash (#overview, #datanodes, #namenodes, #browse/PATH, #charts), refreshed while shown.
import { INTERVAL_MS, renderCharts, sampleCalls } from './charts.js';
import { initFiles, renderBrowse } from './files.js';
import { renderDatanodes, renderNamenodes, renderOverview } from './fleet-pages.js';
import { currentUser, signIn } from './session.js';

const PAGES = {
  overview: { render: renderOverview, refreshMs: 3000, title: 'Overview' },
  datanodes: { render: renderDatanodes, refreshMs: 3000, title: 'Datanodes' },
  namenodes: { render: renderNamenodes, refreshMs: 3000, title: 'Namenodes' },
  browse: { render: () => renderBrowse(location.hash), refreshMs: 0, title: 'Browse files' },
  charts: { render: async () => renderCharts(), refreshMs: INTERVAL_MS, title: 'Operations' },
};

let timer;

/** One line for what just happened: kind 'info' or 'error' (screen readers hear it too). */
function say(text, kind = 'info') {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = text ? kind : '';
}

function pageOfHash() {
  const name = location.hash.replace(/^#/, '').split('/')[0];
  return PAGES[name] ? name : 'overview';
}

async function show(focus) {
  const name = pageOfHash();
  for (const key of Object.keys(PAGES)) document.getElementById(`page-${key}`).hidden = key !== name;
  for (const a of document.querySelectorAll('nav a[data-page]')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${PAGES[name].title} · nnfleet`;
  if (focus) document.getElementById('main').focus({ preventScroll: true });
  clearTimeout(timer);
  await refresh(name);
}

async function refresh(name) {
  const page = PAGES[name];
  try {
    await page.render();
    if (document.getElementById('status').className === 'error' && name !== 'browse') say('');
  } catch (err) {
    say(`Could not load ${page.title.toLowerCase()}: ${err.message}`, 'error');
  }
  document.body.dataset.loaded = name;
  if (page.refreshMs > 0 && pageOfHash() === name) timer = setTimeout(() => refresh(name), page.refreshMs);
}

function initUser() {
  const input = document.getElementById('user-name');
  input.value = currentUser();
  document.getElementById('user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn(input.value);
    input.value = currentUser();
    say(`Signed in as ${currentUser()}`);
    if (pageOfHash() === 'browse') void show(false);
  });
}

// The calls charts need a history: sample all the time, whatever page is shown.
async function sampleForever() {
  try {
    await sampleCalls();
  } catch {
    // A missed sample leaves a gap; the next one carries on.
  }
  setTimeout(sampleForever, INTERVAL_MS);
}

initUser();
initFiles(say);
window.addEventListener('hashchange', () => void show(true));
void show(false);
void sampleForever();
