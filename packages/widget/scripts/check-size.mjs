// Prints the min+gzip size of dist/dreamdeck-chat.js and fails above the hard limit.
// Budget 30 KB (warns above it); CI fails above 35 KB.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const LIMIT = 35 * 1024;
const file = fileURLToPath(new URL('../dist/dreamdeck-chat.js', import.meta.url));
const source = readFileSync(file);
const gzip = gzipSync(source, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `dreamdeck-chat.js: ${kb(source.length)} min, ${kb(gzip)} min+gzip (budget ${kb(BUDGET)}, limit ${kb(LIMIT)})`,
);
if (gzip > LIMIT) {
  console.error(`dreamdeck-chat.js is over the ${kb(LIMIT)} limit`);
  process.exit(1);
}
if (gzip > BUDGET) console.warn(`warning: dreamdeck-chat.js is over the ${kb(BUDGET)} budget`);
