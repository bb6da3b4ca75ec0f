import { resolve } from 'node:path';
import { exampleExperiments } from './example-experiments.js';
import { readOrCreateSecret } from './secret-file.js';
import { startServer } from './start-server.js';

/**
 * `pnpm example`: the reference server on http://localhost:8787 (PORT), stopped cleanly by
 * SIGTERM/SIGINT. Tokens are signed with `DREAMDECK_SECRET`, else with a secret kept in
 * `./.dreamdeck/secret` (where `pnpm example` was run), so stories survive a restart. A demo survey
 * and storyteller prompt variants are configured unless a config file is given (see example-experiments.ts).
 */
const secretFile = resolve(process.env.INIT_CWD ?? '.', '.dreamdeck/secret');
const secret = process.env.DREAMDECK_SECRET || readOrCreateSecret(secretFile);
const running = await startServer({ secret, config: exampleExperiments(process.env) });
const lines = [
  `Dreamdeck example server listening on ${running.url}`,
  `  api:      ${running.apiUrl}`,
  `  model:    ${running.description.model}`,
  `  images:   ${running.description.images}`,
  `  search:   ${running.description.search}`,
  `  database: ${running.description.database}`,
];
lines.push(
  `  secret:   ${process.env.DREAMDECK_SECRET ? 'DREAMDECK_SECRET' : secretFile}`,
  `  admin page: ${running.url}/admin#token=${await running.auth.issueToken({ id: 'admin', roles: ['admin'] })}`,
);
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
