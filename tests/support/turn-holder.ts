/**
 * Child process for `tests/turn-lock.int.test.ts`: one Dreamdeck engine on PostgreSQL that plays
 * one turn on an existing thread with a slow demo model.
 *
 * argv: connection string, schema, thread id, turn lease ms, model latency ms.
 * stdout, one JSON object a line: `{ "streaming": threadId }` after the third delta, then
 * `{ "done": status, "deltas": n, "text": narration as streamed }` when the turn ends.
 */
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createDemoModel, createDreamdeck } from '@dreamdeck/core';

const [connectionString, schema, threadId, leaseMs, latencyMs] = process.argv.slice(2);
const dd = await createDreamdeck({
  storage: createPostgresStorage({ connectionString: connectionString!, schema: schema! }),
  model: createDemoModel({ latencyMs: Number(latencyMs) }),
  env: false,
  turnLeaseMs: Number(leaseMs),
  config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
});
const session = await dd.openSession({ userId: 'player', threadId: threadId! });
const turn = session.send('I light the lantern and step into the crypt');
let deltas = 0;
let text = '';
for await (const event of turn) {
  if (event.type !== 'message-delta') continue;
  text += event.text;
  if (++deltas === 3) console.log(JSON.stringify({ streaming: threadId }));
}
console.log(JSON.stringify({ done: (await turn.result).status, deltas, text }));
await dd.close();
