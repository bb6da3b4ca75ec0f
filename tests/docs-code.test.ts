/**
 * Keeps docs/ true (issue 23): the code blocks of README.md and docs/*.md marked runnable run here,
 * against the sources (the vitest aliases), with the demo model and memory storage, each in a fresh
 * temporary directory as its working directory; and every route docs/http.md names (in its tables,
 * its prose and its `curl` lines) is one the router knows, with that method.
 *
 * Marking a block: an HTML comment on the line before its fence.
 * - `<!-- run -->`: the block runs as it stands. `createDreamdeck` and `createMemoryStorage` are
 *   imported for it when it uses them without importing them.
 * - `<!-- run: with a story -->`: the block runs after a setup that gives it `storage` (memory),
 *   `dd` (the demo model, images off), `session` (user `u1`), `threadId` and `turnId` (a finished turn).
 * A `dd` the block leaves open is closed after it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveForTests, type TestServer } from '../packages/core/src/http/serve-for-tests.js';

const root = join(import.meta.dirname, '..');
const docFiles = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`)].filter((file) =>
  file.endsWith('.md'),
);

interface DocBlock {
  file: string;
  line: number;
  withStory: boolean;
  code: string;
}

/** The blocks of `file` marked `<!-- run -->` or `<!-- run: with a story -->`, dedented. */
function runnableBlocks(file: string): DocBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const marker = /^\s*<!-- run(: with a story)? -->\s*$/.exec(lines[index]!);
    if (!marker) continue;
    let fence = index + 1;
    while (lines[fence]?.trim() === '') fence++;
    const open = /^(\s*)```(ts|js|typescript|javascript)\b/.exec(lines[fence] ?? '');
    if (!open) throw new Error(`${file}:${index + 1}: a run marker not followed by a ts/js code block`);
    const indent = open[1]!.length;
    const body: string[] = [];
    let end = fence + 1;
    for (; end < lines.length && !/^\s*```\s*$/.test(lines[end]!); end++) body.push(lines[end]!.slice(indent));
    blocks.push({ file, line: fence + 1, withStory: marker[1] !== undefined, code: body.join('\n') });
    index = end;
  }
  return blocks;
}

const declares = (code: string, name: string) =>
  new RegExp(`\\b(const|let|var)\\s+(${name}\\b|\\{[^}]*\\b${name}\\b[^}]*\\})`).test(code);
const imports = (code: string, name: string) => new RegExp(`import[^;]*\\b${name}\\b[^;]*from`).test(code);

/** The module a block runs as: its setup (when asked), the imports it leaves out, the block, closing `dd`. */
function moduleFor(block: DocBlock): string {
  const core = ['createDreamdeck', 'createMemoryStorage'].filter(
    (name) => !imports(block.code, name) && (block.withStory || new RegExp(`\\b${name}\\b`).test(block.code)),
  );
  const head = core.length ? [`import { ${core.join(', ')} } from '@dreamdeck/core';`] : [];
  const setup = block.withStory
    ? [
        ['storage', 'const storage = createMemoryStorage();'],
        [
          'dd',
          "const dd = await createDreamdeck({ storage, env: false, config: { logging: { level: 'silent' }, features: { imageGeneration: false } } });",
        ],
        ['session', "const session = await dd.openSession({ userId: 'u1' });"],
        ['threadId', 'const threadId = session.threadId;'],
        ['turnId', "const { turnId } = await session.send('I open the door.').result;"],
      ]
        .filter(([name]) => !declares(block.code, name!))
        .map(([, line]) => line!)
    : [];
  // imports first, wherever the block has them
  const own = block.code.split('\n');
  const importLines = own.filter((line) => /^import\s/.test(line));
  const rest = own.filter((line) => !/^import\s/.test(line));
  const closes = /\bdd\b/.test(block.code) && !/\bdd\.close\(\)/.test(block.code);
  return [...head, ...importLines, ...setup, ...rest, closes ? 'await dd.close();' : '', 'export {};', ''].join('\n');
}

const blocks = docFiles.flatMap(runnableBlocks);

describe('the runnable code blocks of README.md and docs/', () => {
  const previous = { cwd: process.cwd(), level: process.env.DREAMDECK_LOGGING__LEVEL };
  const dirs: string[] = [];
  beforeAll(() => {
    process.env.DREAMDECK_LOGGING__LEVEL = 'silent';
  });
  afterAll(() => {
    process.chdir(previous.cwd);
    if (previous.level === undefined) delete process.env.DREAMDECK_LOGGING__LEVEL;
    else process.env.DREAMDECK_LOGGING__LEVEL = previous.level;
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('marks at least the README quick example and the guide', () => {
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((block) => block.file === 'docs/guide.md').length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))('%s runs', async (_, block) => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-docs-'));
    dirs.push(dir);
    const file = join(dir, 'block.ts');
    writeFileSync(file, moduleFor(block));
    const write = process.stdout.write;
    process.chdir(dir);
    // a block may print (the README streams the story): keep the test output readable
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      process.stdout.write = write;
      process.chdir(previous.cwd);
    }
  });
});

/** `[method, path]` pairs docs/http.md names: table rows, inline `METHOD /path` mentions and `curl` lines. */
function documentedRoutes(): Array<[string, string]> {
  const text = readFileSync(join(root, 'docs/http.md'), 'utf8');
  const found = new Map<string, [string, string]>();
  const add = (method: string, path: string) => {
    const clean = path.replace(/[?#].*$/, '').replace(/\/+$/, '') || '/';
    found.set(`${method} ${clean}`, [method, clean]);
  };
  const methods = 'GET|POST|PATCH|PUT|DELETE';
  // a cell such as "`GET` · `PUT /threads/:id/authors-note`": a bare method takes the next path
  for (const row of text.matchAll(/^\|\s*(`[^|]*`)\s*\|/gm)) {
    const pieces = [...row[1]!.matchAll(new RegExp(`\`(${methods})(?: (/[^\`\\s]*))?\``, 'g'))];
    let pending: string[] = [];
    for (const piece of pieces) {
      if (!piece[2]) {
        pending.push(piece[1]!);
        continue;
      }
      for (const method of [...pending, piece[1]!]) add(method, piece[2]);
      pending = [];
    }
  }
  for (const mention of text.matchAll(new RegExp(`\`(${methods}) (/[^\`\\s]*)\``, 'g'))) add(mention[1]!, mention[2]!);
  // curl lines: the method after -X (GET without), the path after the host and the /api base path
  const curls = text.replace(/\\\n/g, ' ').matchAll(/^\s*curl\b.*$/gm);
  for (const [command] of curls) {
    const url = /https?:\/\/[^\s'"]+/.exec(command)?.[0];
    if (!url) continue;
    const method =
      /(?:-X|--request)\s+([A-Z]+)/.exec(command)?.[1] ?? (/\s(-d|--data\S*)\s/.test(command) ? 'POST' : 'GET');
    add(method, new URL(url.replace(/\$\{?\w+\}?/g, 'x')).pathname.replace(/^\/api(?=\/)/, ''));
  }
  return [...found.values()].sort();
}

describe('the routes docs/http.md names', () => {
  let app: TestServer;
  beforeAll(async () => {
    app = await serveForTests();
  });
  afterAll(() => app.close());

  const routes = documentedRoutes();

  it('finds the routes in the doc', () => {
    expect(routes.length).toBeGreaterThan(50);
  });

  // routing comes before authentication: a method no route has answers 405 with the path's methods
  // in `Allow` when the path is known, and 404 when it is not; nothing runs
  it.each(routes)('%s %s is routed', async (method, path) => {
    const concrete = path.replace(/:[A-Za-z]+/g, 'x1');
    const response = await fetch(`${app.url}${concrete}`, { method: 'PROPFIND' });
    expect(response.status, `${method} ${path}`).toBe(405);
    const allow = (response.headers.get('allow') ?? '').split(/,\s*/);
    expect(allow, `${method} ${path}`).toContain(method);
  });
});
