/**
 * A child process for the multi-process tests: opens the storage named on the command line and
 * runs a workload, then prints a JSON summary on stdout.
 *
 * argv: <sqlite|postgres> <path-or-url> <schema-or-> <key> <consumes> <threadId> <messages>
 */
import { openStorage } from './open-storage.js';

const [kind, target, schema, key, consumes, threadId, messages] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const storage = await openStorage(kind, target, schema);
const results = await Promise.all(
  Array.from({ length: Number(consumes) }, () => storage.consume(key, 1, 3_600_000, 50)),
);
for (let i = 0; i < Number(messages); i++) {
  await storage.appendMessage({
    id: `msg_${process.pid}_${i}`,
    threadId,
    role: 'user',
    kind: 'player',
    content: `from ${process.pid}: ${i}`,
    createdAt: new Date().toISOString(),
    status: 'complete',
  });
}
await storage.close();
process.stdout.write(JSON.stringify({ allowed: results.filter((r) => r.allowed).length }));
