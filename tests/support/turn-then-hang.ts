/**
 * Child process for the "killed mid-turn" test: opens the SQLite file given as argv[2], starts a
 * turn on a slow demo model, prints `streaming <threadId>` once narration has begun, and waits to
 * be killed. Its turn lease is short (1 s), so the killed turn frees the thread soon.
 */
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck } from '@dreamdeck/core';

const dd = await createDreamdeck({
  storage: createSqliteStorage({ path: process.argv[2]! }),
  model: createDemoModel({ latencyMs: 200 }),
  env: false,
  turnLeaseMs: 1000,
  config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
});
const session = await dd.openSession({ userId: 'victim' });
let deltas = 0;
for await (const event of session.send('I light the lantern and step into the crypt')) {
  if (event.type === 'message-delta' && ++deltas === 3) console.log(`streaming ${session.threadId}`);
}
