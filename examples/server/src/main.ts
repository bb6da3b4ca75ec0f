import { startServer } from './start-server.js';

/** `pnpm example`: the reference server on http://localhost:8787 (PORT), stopped cleanly by SIGTERM/SIGINT. */
const running = await startServer();
const lines = [
  `Dreamdeck example server listening on ${running.url}`,
  `  api:      ${running.apiUrl}`,
  `  model:    ${running.description.model}`,
  `  images:   ${running.description.images}`,
  `  database: ${running.description.database}`,
];
if (!process.env.DREAMDECK_SECRET) {
  lines.push(
    `  admin page (this run only; set DREAMDECK_SECRET to keep tokens valid across restarts):`,
    `    ${running.url}/admin#token=${await running.auth.issueToken({ id: 'admin', roles: ['admin'] })}`,
  );
} else {
  lines.push(`  admin:    ${running.url}/admin (paste an admin token)`);
}
console.log(lines.join('\n'));

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down (ending open streams, closing storage)…`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  running.close().then(
    () => {
      console.log('stopped');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('shutdown failed', error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
