import { createHash } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { PAIR_PAGE_PATH } from './pairing-routes.js';

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
main { max-width: 34rem; margin: 2rem auto; padding: 0 1rem; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
input { width: 100%; box-sizing: border-box; padding: .45rem; font: inherit; border: 1px solid #b8c0cc; border-radius: 4px; }
#code { font: 1.4rem/1.2 ui-monospace, monospace; letter-spacing: .12em; text-transform: uppercase; }
button { margin-top: .75rem; padding: .45rem 1rem; font: inherit; border-radius: 4px; border: 0; background: #2450a8; color: #fff; }
[hidden] { display: none; }
#result { font-weight: 600; } .error { color: #a32020; } .ok { color: #196a35; }
#token { font-family: ui-monospace, monospace; word-break: break-all; background: #f0f2f5; padding: .5rem; }
`;

/*
 * The page's script: plain browser JavaScript, small on purpose. It writes text only (textContent, never HTML), keeps
 * the owner token in memory for one request, sends it in a header (never in a URL) and drops the code from the
 * address bar once read.
 */
const SCRIPT = `
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.has('code')) { $('code').value = params.get('code'); history.replaceState(null, '', location.pathname); }
const say = (text, ok) => { $('result').textContent = text; $('result').className = ok ? 'ok' : 'error'; };
async function post(path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = 'Bearer ' + token;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((data.error && data.error.message) || ('HTTP ' + response.status));
  return data;
}
$('approve-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('owner-token').value.trim();
  $('owner-token').value = '';
  try {
    const node = await post('/v1/pairings/approve', { userCode: $('code').value }, token);
    say('Approved: node "' + node.nodeName + '" (' + node.nodeId + ') is yours. It finishes pairing by itself.', true);
  } catch (error) { say(error.message, false); }
});
$('signup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { userCode: $('code').value, name: $('name').value };
  if ($('invite').value.trim()) body.inviteCode = $('invite').value.trim();
  try {
    const made = await post('/v1/pairings/signup', body);
    say('Account "' + made.owner.name + '" created and node "' + made.node.nodeName + '" approved.', true);
    $('token').textContent = made.owner.token;
    $('token-box').hidden = false;
  } catch (error) { say(error.message, false); }
});
fetch('/v1/account-policy').then((r) => r.json()).then(({ accountPolicy }) => {
  if (accountPolicy === 'admin-only') return;
  $('signup').hidden = false;
  $('invite-field').hidden = accountPolicy !== 'invite';
}).catch(() => {});
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's Content-Security-Policy: its own inline script and style only, by hash; requests to this origin. */
export const PAIR_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The pairing page: constant HTML (nothing from data or the request), so it is the same for everyone. */
export const PAIR_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pair a Gleaner node</title><style>${STYLE}</style></head>
<body><main>
<h1>Pair a Gleaner node</h1>
<p>Your node shows a code like <code>K7QM-4XPD</code>. Approve it here and the node joins your account: you never
type your owner token into the node.</p>
<section><label for="code">Code shown by the node</label>
<input id="code" autocomplete="off" spellcheck="false" maxlength="32" placeholder="XXXX-XXXX"></section>
<section><h2>I have an account</h2>
<form id="approve-form"><label for="owner-token">Owner token</label>
<input id="owner-token" type="password" autocomplete="off" required>
<button type="submit">Approve this node</button></form></section>
<section id="signup" hidden><h2>New here? Create an account</h2>
<form id="signup-form"><label for="name">Your name</label><input id="name" required maxlength="200">
<div id="invite-field"><label for="invite">Invite code</label><input id="invite" autocomplete="off"></div>
<button type="submit">Create my account and approve</button></form></section>
<p id="result" role="status"></p>
<section id="token-box" hidden><h2>Your owner token</h2>
<p>Shown once. Keep it in a password manager: you sign in with it here to pair more nodes.</p><div id="token"></div></section>
</main><script>${SCRIPT}</script></body></html>`;

/** Serves the pairing page at `/pair`, behind its strict CSP. */
export function registerPairPage(app: OpenAPIHono): void {
  app.get(PAIR_PAGE_PATH, (c) => {
    c.header('content-security-policy', PAIR_PAGE_CSP);
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    return c.html(PAIR_PAGE_HTML);
  });
}
