/** Options for {@link renderPage}. */
export interface PageOptions {
  /** The API base path the page talks to. */
  endpoint: string;
  /** Whether the `<dreamdeck-chat>` bundle is available at `/dreamdeck-chat.js`. */
  widget: boolean;
  /** The bundle's URL, versioned (`/dreamdeck-chat.js?v=<hash>`) so it can be cached for good; default `/dreamdeck-chat.js`. */
  widgetUrl?: string;
  /** The favicon's URL (default `/favicon.svg`). */
  faviconUrl?: string;
}

/** `value` safe inside a double-quoted HTML attribute. */
function attribute(value: string): string {
  return value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The `<head>` both pages share. */
function head(title: string, description: string, faviconUrl = '/favicon.svg'): string {
  return `<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${description}">
<link rel="icon" type="image/svg+xml" href="${attribute(faviconUrl)}">
<title>${title}</title>
<style>${STYLE}</style>`;
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; display: grid; min-height: 100vh; grid-template-rows: auto 1fr; background: Canvas; color: CanvasText; }
  header { padding: .75rem 1rem; border-bottom: 1px solid #8884; }
  header h1 { margin: 0; font-size: 1rem; font-weight: normal; }
  main { width: min(52rem, 100%); margin: 0 auto; padding: 1rem; box-sizing: border-box; }
  dreamdeck-chat { display: block; height: calc(100vh - 6rem); }
  #log { white-space: pre-wrap; line-height: 1.5; }
  .player { font-weight: 600; margin-top: 1rem; }
  .error { color: #c33; }
  form { display: flex; gap: .5rem; margin-top: 1rem; }
  form[hidden] { display: none; }
  input { flex: 1; padding: .5rem; font: inherit; }
`;

/**
 * The demo page: `<dreamdeck-chat endpoint="…">` when the widget bundle exists, else a minimal
 * chat written with plain fetch and SSE parsing (model text is only ever set as `textContent`).
 */
export function renderPage(options: PageOptions): string {
  const endpoint = JSON.stringify(options.endpoint);
  const body = options.widget
    ? `<script type="module" src="${attribute(options.widgetUrl ?? '/dreamdeck-chat.js')}"></script>
<dreamdeck-chat endpoint="${options.endpoint.replace(/[^\w/-]/g, '')}" theme="auto" manual-url="/docs/user-manual.md"></dreamdeck-chat>`
    : `<div id="log" aria-live="polite"></div>
<form id="form"><input id="text" autocomplete="off" placeholder="What do you do?" aria-label="What do you do?" required maxlength="4000"><button>Send</button></form>
<script type="module">
const api = ${endpoint};
const log = document.getElementById('log');
const line = (text, cls) => { const p = document.createElement('div'); if (cls) p.className = cls; p.textContent = text; log.append(p); return p; };
let token = localStorage.getItem('dreamdeck-demo-token');
async function call(path, init = {}) {
  const headers = { ...(init.headers || {}), ...(token ? { authorization: 'Bearer ' + token } : {}) };
  return fetch(api + path, { ...init, headers });
}
async function ensureToken() {
  if (token && (await call('/me')).ok) return;
  const res = await fetch(api + '/auth/guest', { method: 'POST' });
  token = (await res.json()).token;
  localStorage.setItem('dreamdeck-demo-token', token);
}
await ensureToken();
let threadId = localStorage.getItem('dreamdeck-demo-thread');
if (threadId) {
  const res = await call('/threads/' + threadId);
  if (res.ok) for (const m of (await res.json()).messages) line(m.content, m.role === 'user' ? 'player' : '');
  else threadId = null;
}
if (!threadId) {
  const res = await call('/threads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  threadId = (await res.json()).thread.id;
  localStorage.setItem('dreamdeck-demo-thread', threadId);
}
document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('text');
  const text = input.value; input.value = '';
  line(text, 'player');
  const res = await call('/threads/' + threadId + '/turns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  if (!res.ok) { line((await res.json()).error.message, 'error'); return; }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = ''; const open = new Map();
  for (;;) {
    const { done, value } = await reader.read(); if (done) break;
    buffer += value; let cut;
    while ((cut = buffer.indexOf('\\n\\n')) >= 0) {
      const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      const data = block.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\\n');
      if (!data) continue;
      const e = JSON.parse(data);
      if (e.type === 'message-start') open.set(e.messageId, line(''));
      else if (e.type === 'message-delta') open.get(e.messageId).textContent += e.text;
      else if (e.type === 'message-end') { const el = open.get(e.message.id) || line(''); el.textContent = e.message.content; }
      else if (e.type === 'interrupt') line('(' + e.prompt + ' — this minimal page skips it)');
      else if (e.type === 'error') line(e.message, 'error');
    }
  }
});
</script>`;
  return `<!doctype html>
<html lang="en">
<head>
${head('Dreamdeck', 'Play a story with an AI game master: Dreamdeck’s demo, running on its offline demo model.', options.faviconUrl)}
</head>
<body>
<header><h1><strong>Dreamdeck</strong> — an AI game master</h1></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Options for {@link renderAdminPage}. */
export interface AdminPageOptions {
  /** The API base path the page talks to. */
  endpoint: string;
  /** Whether the `<dreamdeck-admin>` bundle is available at `/dreamdeck-admin.js`. */
  widget: boolean;
  /** The bundle's URL, versioned like {@link PageOptions.widgetUrl}; default `/dreamdeck-admin.js`. */
  widgetUrl?: string;
  /** The favicon's URL (default `/favicon.svg`). */
  faviconUrl?: string;
}

/**
 * The admin page: `<dreamdeck-admin endpoint="…">` plus a form for an admin token. No inline script
 * (the page runs under `script-src 'self'`): `/admin.js` ({@link ADMIN_PAGE_SCRIPT}) hands the token
 * to the element. Open it as `/admin#token=<admin token>` or paste the token; it is kept in
 * `sessionStorage` for the tab and removed from the address bar.
 */
export function renderAdminPage(options: AdminPageOptions): string {
  const endpoint = options.endpoint.replace(/[^\w/-]/g, '');
  const body = options.widget
    ? `<form id="token-form">
<input name="token" type="password" autocomplete="off" placeholder="Admin token" aria-label="Admin token" required>
<button>Open</button>
</form>
<dreamdeck-admin endpoint="${endpoint}" theme="auto"></dreamdeck-admin>
<script type="module" src="${attribute(options.widgetUrl ?? '/dreamdeck-admin.js')}"></script>
<script type="module" src="/admin.js"></script>`
    : '<p>The admin view is not built yet: run <code>pnpm --filter @dreamdeck/widget bundle</code> (or start the server with <code>pnpm example</code>, which builds it).</p>';
  return `<!doctype html>
<html lang="en">
<head>
${head('Dreamdeck admin', 'Dreamdeck admin: feature flags, usage and feedback.', options.faviconUrl)}
</head>
<body>
<header><h1><strong>Dreamdeck</strong> — admin</h1></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * `/admin.js`: takes the admin token from `#token=…` (then drops it from the address bar), from
 * this tab's `sessionStorage`, or from the form, and sets it on `<dreamdeck-admin>`.
 */
export const ADMIN_PAGE_SCRIPT = `const admin = document.querySelector('dreamdeck-admin');
const form = document.getElementById('token-form');
const key = 'dreamdeck-admin-token';
const session = { get() { try { return sessionStorage.getItem(key); } catch { return null; } },
  set(value) { try { sessionStorage.setItem(key, value); } catch {} } };
const use = (token) => { admin.setAttribute('token', token); form.hidden = true; };
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) {
  session.set(fromHash);
  history.replaceState(history.state, '', location.pathname + location.search);
}
const known = fromHash || session.get();
if (known) use(known);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = form.elements.token.value.trim();
  if (!token) return;
  session.set(token);
  form.reset();
  use(token);
});
admin.addEventListener('dreamdeck-error', (event) => {
  if (event.detail.code === 'UNAUTHORIZED' || event.detail.code === 'FORBIDDEN') form.hidden = false;
});
`;
