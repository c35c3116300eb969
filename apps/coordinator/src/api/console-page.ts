/**
 * The admin console at `/console`: one self-contained page over the REST API. It holds no data of its own: the
 * admin signs in with the admin token (kept in this tab's session storage only), and every figure and action goes
 * through the same authenticated endpoints as any client. Data is written with `textContent`, never as HTML, and
 * the page's Content-Security-Policy lets only its own inline code run and only talk to this origin.
 */

/** How often the console refreshes campaigns and their stats, ms. */
export const CONSOLE_REFRESH_MS = 2000;

/** The Content-Security-Policy of the console for one response's nonce. */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
header { background: #1d2430; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: center; }
header h1 { font-size: 17px; margin: 0; flex: 1; }
main { padding: 16px 20px; max-width: 1200px; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
h2 { font-size: 15px; margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eceff3; vertical-align: top; }
th { font-weight: 600; color: #4a5464; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; }
.warning { color: #9a5b00; }
.error { color: #b00020; }
.muted { color: #6b7482; }
label { display: block; margin: 6px 0 2px; color: #4a5464; }
input, select, textarea { font: inherit; padding: 4px 6px; border: 1px solid #c4cad3; border-radius: 4px; }
textarea { width: 100%; max-width: 560px; }
button { font: inherit; padding: 3px 10px; margin: 0 4px 4px 0; cursor: pointer; }
.row { display: flex; gap: 16px; flex-wrap: wrap; }
[hidden] { display: none !important; }
`;

const SCRIPT = `
'use strict';
const TOKEN_KEY = 'gleaner-admin-token';
const REFRESH_MS = ${CONSOLE_REFRESH_MS};
const $ = (id) => document.getElementById(id);
let timer;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function api(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { authorization: 'Bearer ' + token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = await response.json().catch(() => ({}));
  if (response.status === 401) { signOut('That admin token was refused.'); throw new Error('unauthorized'); }
  if (!response.ok) throw new Error((parsed.error && parsed.error.message) || 'HTTP ' + response.status);
  return parsed;
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(timer);
  $('app').hidden = true;
  $('signout').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
}

function actionsFor(campaign) {
  const s = campaign.status;
  if (s === 'draft') return ['start', 'cancel'];
  if (s === 'running') return ['pause', 'cancel'];
  if (s === 'paused') return ['resume', 'cancel'];
  if (s === 'completed' && campaign.nextRecrawlAt) return ['cancel'];
  return [];
}

async function act(campaign, action) {
  if (action === 'cancel' && !confirm('Cancel campaign "' + campaign.name + '"? Nothing more will be fetched.')) return;
  try {
    await api('POST', '/v1/campaigns/' + encodeURIComponent(campaign.id) + '/' + action);
    $('list-error').textContent = '';
  } catch (error) {
    if (error.message !== 'unauthorized') $('list-error').textContent = error.message;
  }
  refresh();
}

function eta(seconds) {
  if (seconds === null || seconds === undefined) return '';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

async function showDetails(campaign) {
  $('details').hidden = false;
  $('details-title').textContent = 'Failures and skips: ' + campaign.name;
  const base = '/v1/campaigns/' + encodeURIComponent(campaign.id) + '/urls?limit=100&state=';
  try {
    const [failed, skipped] = await Promise.all([api('GET', base + 'failed'), api('GET', base + 'skipped')]);
    const rows = [...failed.urls, ...skipped.urls].map((u) => {
      const tr = el('tr');
      tr.append(el('td', u.url), el('td', u.state), el('td', u.errorCode || ''), el('td', u.errorMessage || ''));
      tr.append(el('td', u.attempts, 'num'));
      return tr;
    });
    $('details-urls').replaceChildren(...rows);
    $('details-empty').hidden = rows.length > 0;
  } catch (error) {
    if (error.message !== 'unauthorized') $('list-error').textContent = error.message;
  }
}

function renderRow(campaign, stats) {
  const tr = el('tr');
  tr.dataset.campaignId = campaign.id;
  const name = el('td');
  name.append(el('div', campaign.name), el('div', campaign.id, 'muted'));
  tr.append(name);
  const status = el('td', campaign.status + (campaign.round > 0 ? ' · round ' + campaign.round : ''), 'status');
  status.dataset.field = 'status';
  tr.append(status);
  const u = stats ? stats.urls : undefined;
  const finished = u ? u.done + u.duplicate + u.failed + u.skipped + u.cancelled : 0;
  const total = u ? finished + u.queued + u.leased + u.fetched : 0;
  const cells = [
    u ? finished + ' / ' + total : '',
    u ? u.leased : '',
    u ? u.failed : '',
    stats ? stats.records : '',
    stats ? stats.points : '',
    stats ? stats.pagesPerSecond.toFixed(1) : '',
    stats && campaign.status === 'running' ? eta(stats.etaSeconds) : '',
  ];
  for (const value of cells) tr.append(el('td', value, 'num'));
  const notes = el('td');
  notes.dataset.field = 'warnings';
  for (const warning of stats ? stats.warnings : []) notes.append(el('div', warning, 'warning'));
  tr.append(notes);
  const actions = el('td');
  const details = el('button', 'failures');
  details.dataset.action = 'details';
  details.addEventListener('click', () => showDetails(campaign));
  actions.append(details);
  for (const action of actionsFor(campaign)) {
    const button = el('button', action);
    button.dataset.action = action;
    button.addEventListener('click', () => act(campaign, action));
    actions.append(button);
  }
  tr.append(actions);
  return tr;
}

async function refresh() {
  clearTimeout(timer);
  try {
    const { campaigns } = await api('GET', '/v1/campaigns');
    const shown = campaigns.slice(0, 50);
    const stats = await Promise.all(
      shown.map((c) => api('GET', '/v1/campaigns/' + encodeURIComponent(c.id) + '/stats').catch(() => undefined)),
    );
    const body = $('campaigns');
    body.replaceChildren(...shown.map((c, i) => renderRow(c, stats[i])));
    $('empty').hidden = shown.length > 0;
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (error) {
    if (error.message === 'unauthorized') return;
    $('list-error').textContent = 'Could not load campaigns: ' + error.message;
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const lines = (text) => text.split(/[\\n,]/).map((s) => s.trim()).filter(Boolean);
  const body = {
    name: form.name.value.trim(),
    seeds: lines(form.seeds.value),
    scope: { mode: form.scope.value, hosts: lines(form.hosts.value) },
    render: form.render.value,
    draft: form.draft.checked,
  };
  if (form.maxPages.value) body.maxPages = Number(form.maxPages.value);
  if (form.maxDepth.value) body.maxDepth = Number(form.maxDepth.value);
  try {
    const created = await api('POST', '/v1/campaigns', body);
    $('create-error').textContent = '';
    $('create-done').textContent = 'Created ' + created.id + (body.draft ? ' (draft)' : '');
    form.reset();
    refresh();
  } catch (error) {
    $('create-done').textContent = '';
    if (error.message !== 'unauthorized') $('create-error').textContent = error.message;
  }
}

function start() {
  $('signin').hidden = true;
  $('signout').hidden = false;
  $('app').hidden = false;
  refresh();
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  try {
    await api('GET', '/v1/campaigns');
    $('signin-error').textContent = '';
    start();
  } catch (error) {
    if (error.message !== 'unauthorized') $('signin-error').textContent = error.message;
  }
});
$('signout').addEventListener('click', () => signOut(''));
$('create-form').addEventListener('submit', create);
$('details-close').addEventListener('click', () => ($('details').hidden = true));
if (sessionStorage.getItem(TOKEN_KEY)) start();
`;

/** The console's HTML for one response, with `nonce` on its script and style. */
export function renderConsolePage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gleaner console</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header><h1>Gleaner console</h1><span id="updated" class="muted"></span><button id="signout" type="button" hidden>Sign out</button></header>
<main>
<section id="signin">
  <h2>Sign in</h2>
  <form id="signin-form">
    <label for="token">Admin token (<code>GLEANER_ADMIN_TOKEN</code>; kept in this tab only)</label>
    <input id="token" name="token" type="password" autocomplete="off" required size="40">
    <button type="submit">Sign in</button>
  </form>
  <p id="signin-error" class="error" role="alert"></p>
</section>
<div id="app" hidden>
<section>
  <h2>Campaigns</h2>
  <p id="list-error" class="error" role="alert"></p>
  <table>
    <thead><tr><th>Campaign</th><th>Status</th><th>URLs finished</th><th>In flight</th><th>Failed</th><th>Records</th><th>Points</th><th>Pages/s</th><th>ETA</th><th>Warnings</th><th></th></tr></thead>
    <tbody id="campaigns"></tbody>
  </table>
  <p id="empty" class="muted" hidden>No campaigns yet: create one below.</p>
</section>
<section id="details" hidden>
  <h2 id="details-title"></h2>
  <p class="muted">URLs that failed or were skipped, with their reasons (the first 100 of each).</p>
  <table>
    <thead><tr><th>URL</th><th>State</th><th>Code</th><th>Reason</th><th>Attempts</th></tr></thead>
    <tbody id="details-urls"></tbody>
  </table>
  <p id="details-empty" class="muted" hidden>None.</p>
  <button id="details-close" type="button">Close</button>
</section>
<section>
  <h2>New campaign</h2>
  <form id="create-form">
    <div class="row">
      <div><label for="name">Name</label><input id="name" name="name" required maxlength="200"></div>
      <div><label for="scope">Scope</label><select id="scope" name="scope">
        <option value="same-host">same host as a seed</option>
        <option value="same-domain">same domain as a seed</option>
        <option value="hosts">listed hosts</option></select></div>
      <div><label for="render">Render</label><select id="render" name="render">
        <option value="never">never</option><option value="auto">auto</option><option value="always">always</option></select></div>
      <div><label for="maxPages">Max pages</label><input id="maxPages" name="maxPages" type="number" min="1"></div>
      <div><label for="maxDepth">Max depth</label><input id="maxDepth" name="maxDepth" type="number" min="0"></div>
    </div>
    <label for="seeds">Seed URLs (one per line)</label><textarea id="seeds" name="seeds" rows="3"></textarea>
    <label for="hosts">Hosts, for scope "listed hosts" (comma-separated)</label><input id="hosts" name="hosts" size="60">
    <label><input id="draft" name="draft" type="checkbox"> Keep as a draft (nothing is fetched until it is started)</label>
    <p><button type="submit">Create campaign</button></p>
  </form>
  <p id="create-error" class="error" role="alert"></p>
  <p id="create-done" class="muted"></p>
</section>
</div>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
