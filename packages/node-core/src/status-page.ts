/**
 * The status page: one self-contained document (no external assets) that polls `/api/status` every second.
 * Everything from the network (URLs above all) is written with `textContent`, never as HTML.
 */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gleaner node</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d232b}
header{background:#1d3b2a;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center}
header h1{font-size:18px;margin:0;flex:1}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px;padding:16px}
section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002}
h2{font-size:14px;margin:0 0 8px;color:#4a5563}
.big{font-size:26px;font-weight:600}
.bar{height:10px;background:#e5e7eb;border-radius:5px;overflow:hidden}.bar div{height:100%;background:#2f855a}
table{width:100%;border-collapse:collapse;font-size:12px}td,th{text-align:left;padding:3px 4px;border-bottom:1px solid #eee}
td.url{max-width:360px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button{font:inherit;padding:6px 14px;border-radius:6px;border:0;cursor:pointer}
#pause{background:#c05621;color:#fff}#resume{background:#2f855a;color:#fff}
label{display:block;margin:4px 0}input{font:inherit;width:100%;box-sizing:border-box}
.wide{grid-column:1/-1}.err{color:#c53030}
</style></head><body>
<header><h1>Gleaner node</h1><span id="state">…</span><button id="pause">Pause</button><button id="resume">Resume</button></header>
<main>
<section><h2>Points</h2><div class="big" id="points">–</div><div id="jobs"></div></section>
<section><h2>Earnings</h2><div class="big" id="today">–</div><div id="epoch"></div><div id="balance"></div></section>
<section><h2>Data used today</h2><div class="big" id="used">–</div><div class="bar"><div id="usedbar" style="width:0"></div></div></section>
<section class="wide"><h2>Bandwidth, last hour</h2><svg id="chart" viewBox="0 0 720 120" width="100%" height="120" preserveAspectRatio="none"><polyline id="line" fill="none" stroke="#2f855a" stroke-width="1.5" points=""/></svg><div id="peak"></div></section>
<section class="wide"><h2>Recent fetches</h2><table><thead><tr><th>Time</th><th>Status</th><th>Bytes</th><th>URL</th><th>Campaign</th></tr></thead><tbody id="recent"></tbody></table></section>
<section class="wide"><h2>Outcomes of recent fetches</h2><div id="outcomesError" class="err"></div><table><thead><tr><th>Time</th><th>Outcome</th><th>Points</th><th>URL</th><th>Why</th></tr></thead><tbody id="outcomes"></tbody></table></section>
<section><h2>Settings</h2><form id="settings">
<label>Pages at once <input name="concurrency" type="number" min="1" max="64"></label>
<label>Bandwidth cap (bytes/s, e.g. 1MiB) <input name="bandwidth"></label>
<label>Daily quota (e.g. 2GiB) <input name="dailyQuota"></label>
<label>Active hours (e.g. 09:00-17:00, empty = always) <input name="activeHours"></label>
<label>Never fetch these domains (comma-separated) <input name="deny"></label>
<button type="submit">Save</button> <span id="saved"></span></form></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const fmt = (b) => { const u=['B','KiB','MiB','GiB','TiB']; let i=0; while (b>=1024&&i<u.length-1){b/=1024;i++;} return (i?b.toFixed(1):b.toFixed(0))+' '+u[i]; };
async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error ? json.error.message : 'HTTP ' + res.status);
  return json;
}
let settingsShown = false;
function render(s) {
  $('state').textContent = s.connection + (s.paused ? ' · paused (' + s.pauseReasons.join(', ') + ')' : ' · working') + ' · ' + s.inFlight + ' in flight';
  $('state').dataset.paused = String(s.paused);
  $('points').textContent = s.points === null ? 'unknown' : String(s.points);
  $('jobs').textContent = s.jobs.done + ' fetched, ' + s.jobs.failed + ' failed since start';
  $('used').textContent = fmt(s.today.usedBytes) + ' of ' + fmt(s.today.quotaBytes);
  $('usedbar').style.width = Math.min(100, 100 * s.today.usedBytes / s.today.quotaBytes) + '%';
  const peak = Math.max(s.controls.bandwidth, ...s.bandwidth.map((p) => p.bytesPerSecond));
  $('line').setAttribute('points', s.bandwidth.map((p, i) => (i * 720 / Math.max(1, s.bandwidth.length - 1)).toFixed(1) + ',' + (118 - 116 * p.bytesPerSecond / peak).toFixed(1)).join(' '));
  $('peak').textContent = 'cap ' + fmt(s.controls.bandwidth) + '/s · now ' + fmt(s.bandwidth.length ? s.bandwidth[s.bandwidth.length - 1].bytesPerSecond : 0) + '/s';
  const earn = s.earnings;
  $('today').textContent = earn ? earn.today.credited + ' today' + (earn.today.pending ? ' (' + earn.today.pending + ' pending)' : '') : 'unknown';
  $('epoch').textContent = earn ? (earn.epoch ? 'this epoch (#' + earn.epoch.id + '): ' + earn.epoch.settled + ' settled' : 'no epoch yet') : '';
  $('balance').textContent = earn ? 'balance ' + earn.balance + ' · ' + earn.pending + ' pending in all' : '';
  $('outcomesError').textContent = s.outcomesError ? 'outcomes unavailable: ' + s.outcomesError : '';
  const out = $('outcomes'); out.replaceChildren();
  for (const o of (s.outcomes || []).slice(0, 20)) {
    const tr = document.createElement('tr');
    const what = o.outcome + (o.errorCode ? ' ' + o.errorCode : '');
    for (const [text, cls] of [[new Date(o.time).toLocaleTimeString(), ''], [what, o.outcome === 'failed' || o.outcome === 'rejected' ? 'err' : ''], [o.points + ' ' + o.pointsStatus, ''], [o.url, 'url'], [o.reason || '', '']]) {
      const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; if (cls === 'url') td.title = text; tr.append(td);
    }
    out.append(tr);
  }
  const body = $('recent'); body.replaceChildren();
  for (const e of s.recent.slice(0, 20)) {
    const tr = document.createElement('tr');
    for (const [text, cls] of [[new Date(e.time).toLocaleTimeString(), ''], [e.errorCode || String(e.status), e.errorCode ? 'err' : ''], [fmt(e.bytes), ''], [e.url, 'url'], [e.campaignId, '']]) {
      const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; if (cls === 'url') td.title = text; tr.append(td);
    }
    body.append(tr);
  }
  if (!settingsShown) {
    const f = $('settings').elements;
    f.concurrency.value = s.controls.concurrency; f.bandwidth.value = s.controls.bandwidth; f.dailyQuota.value = s.controls.dailyQuota;
    f.activeHours.value = s.controls.activeHours; f.deny.value = s.controls.deny.join(', ');
    settingsShown = true;
  }
}
async function refresh() { try { render(await api('GET', '/api/status')); } catch (e) { $('state').textContent = 'node unreachable: ' + e.message; } }
$('pause').onclick = async () => { await api('POST', '/api/pause'); await refresh(); };
$('resume').onclick = async () => { await api('POST', '/api/resume'); await refresh(); };
$('settings').onsubmit = async (ev) => {
  ev.preventDefault();
  const f = $('settings').elements;
  try {
    await api('POST', '/api/settings', { concurrency: Number(f.concurrency.value), bandwidth: f.bandwidth.value, dailyQuota: f.dailyQuota.value, activeHours: f.activeHours.value, deny: f.deny.value });
    $('saved').textContent = 'saved'; $('saved').className = '';
  } catch (e) { $('saved').textContent = e.message; $('saved').className = 'err'; }
};
refresh(); setInterval(refresh, 1000);
</script></body></html>`;
