/**
 * A child process for the killed-holder lease case: opens the storage named on the command line,
 * acquires a lease, prints `held` and then idles until it is killed (it never renews nor releases).
 *
 * argv: <sqlite|postgres> <path-or-url> <schema-or-> <key> <holder> <ttlMs>
 */
import { openStorage } from './open-storage.js';

const [kind, target, schema, key, holder, ttlMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const storage = await openStorage(kind, target, schema);
const held = await storage.acquireLease(key, holder, Number(ttlMs));
process.stdout.write(held ? 'held\n' : 'refused\n');
setInterval(() => undefined, 60_000);
