/**
 * The packages as an npm user gets them: `pnpm pack` each one, install the tarballs into a fresh
 * project outside the workspace with plain npm (only what the docs tell a user to install), then
 * run the README's snippet from ESM and CommonJS, typecheck strictly under NodeNext and bundler
 * resolution with `skipLibCheck: false`, lint the tarballs with publint and
 * @arethetypeswrong/cli, and load the widget's single-file bundle in Chromium.
 *
 * Needs `pnpm build` first; run with `pnpm test:packages` (CI does). Takes 2–4 minutes, most of it
 * npm compiling better-sqlite3 from source.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../e2e/browser.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const packages = ['core', 'adapters', 'widget'] as const;
const work = mkdtempSync(join(tmpdir(), 'dd-npm-'));
const project = join(work, 'app');
const tarballs: Record<string, string> = {};

/** Runs a command; on failure the error carries its stdout and stderr. */
async function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(file, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** The first fenced code block after `heading` in a markdown file. */
function codeBlockAfter(file: string, heading: string, language = 'ts'): string {
  const text = readFileSync(join(root, file), 'utf8');
  const at = text.indexOf(heading);
  const block = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`no ${language} block after "${heading}" in ${file}`);
  return block[1];
}

/** The `npm install …` lines a doc gives after `heading`, as argument lists. */
function installLinesAfter(file: string, heading: string): string[][] {
  return codeBlockAfter(file, heading, 'sh')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npm install'))
    .map((line) => line.split(/\s+/).slice(2));
}

beforeAll(async () => {
  for (const name of packages) {
    const dist = join(root, 'packages', name, 'dist');
    if (!existsSync(dist)) throw new Error(`packages/${name}/dist is missing: run \`pnpm build\` first`);
    const { stdout } = await sh('pnpm', ['pack', '--pack-destination', work], join(root, 'packages', name));
    tarballs[name] = stdout.trim().split('\n').at(-1)!.trim();
  }
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // What the docs tell a user to install: the README (core), docs/storage.md (SQLite, PostgreSQL
  // and their TypeScript types) and docs/models.md (the model drivers), with the local tarballs
  // standing in for the registry's @dreamdeck/* packages.
  const local = (spec: string) => (spec.startsWith('@dreamdeck/') ? tarballs[spec.slice('@dreamdeck/'.length)]! : spec);
  const lines = [
    ['@dreamdeck/core', '@dreamdeck/widget'],
    ...installLinesAfter('docs/storage.md', '## SQLite'),
    ...installLinesAfter('docs/storage.md', '## PostgreSQL'),
    ['@langchain/openai@1.5.8', '@langchain/ollama'],
    ['-D', '@types/node@20'],
  ];
  const isDevelopment = (line: string[]) => line.includes('-D');
  const production = [...new Set(lines.filter((line) => !isDevelopment(line)).flat())];
  const development = [...new Set(lines.filter(isDevelopment).flat())].filter((spec) => spec !== '-D');
  await sh('npm', ['install', '--no-audit', '--no-fund', ...production.map(local)], project);
  await sh('npm', ['install', '--no-audit', '--no-fund', '-D', ...development], project);
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packages from npm', () => {
  it('ESM: the README "Embed it" snippet runs a turn', async () => {
    writeFileSync(join(project, 'embed.mjs'), codeBlockAfter('README.md', '## Embed it'));
    const { stdout } = await sh(process.execPath, ['embed.mjs'], project, { DREAMDECK_LOGGING__LEVEL: 'silent' });
    expect(stdout.length).toBeGreaterThan(40);
  });

  it('ESM: the SQLite adapter, installed as docs/storage.md says, stores a story in a file', async () => {
    writeFileSync(
      join(project, 'sqlite.mjs'),
      `${codeBlockAfter('docs/storage.md', '## SQLite')}
const session = await dd.openSession({ userId: 'u1' });
const turn = session.send('I open the door. /roll 1d20');
for await (const _ of turn);
console.log(JSON.stringify({ status: (await turn.result).status, messages: (await session.history()).length }));
await dd.close();
`,
    );
    const { stdout } = await sh(process.execPath, ['sqlite.mjs'], project, { DREAMDECK_LOGGING__LEVEL: 'silent' });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.messages).toBeGreaterThanOrEqual(2);
    expect(['complete', 'interrupted']).toContain(result.status);
    expect(existsSync(join(project, '.dreamdeck/dreamdeck.db'))).toBe(true);
  });

  it('CommonJS: require() of core and the SQLite adapter runs a turn', async () => {
    writeFileSync(
      join(project, 'story.cjs'),
      `const { createDreamdeck } = require('@dreamdeck/core');
const { createSqliteStorage } = require('@dreamdeck/adapters/sqlite');
(async () => {
  for (const storage of [undefined, createSqliteStorage({ path: './cjs.db' })]) {
    const dd = await createDreamdeck({ ...(storage && { storage }), config: { features: { imageGeneration: false } } });
    const session = await dd.openSession({ userId: 'u1' });
    const turn = session.send('I light a torch');
    let text = '';
    for await (const event of turn) if (event.type === 'message-delta') text += event.text;
    console.log(JSON.stringify({ storage: dd.storage.name, status: (await turn.result).status, chars: text.length }));
    await dd.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
`,
    );
    const { stdout } = await sh(process.execPath, ['story.cjs'], project, { DREAMDECK_LOGGING__LEVEL: 'silent' });
    const runs = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(runs.map((r) => r.status)).toEqual(['complete', 'complete']);
    expect(runs[1].storage).toMatch(/sqlite/);
    for (const r of runs) expect(r.chars).toBeGreaterThan(40);
  });

  it.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['bundler', { module: 'ESNext', moduleResolution: 'bundler' }],
  ])(
    'TypeScript (%s, strict, skipLibCheck false) accepts the engine, HTTP and every adapter subpath',
    async (name, options) => {
      mkdirSync(join(project, `ts-${name}`), { recursive: true });
      writeFileSync(join(project, `ts-${name}`, 'app.ts'), TYPESCRIPT_APP);
      writeFileSync(
        join(project, `ts-${name}`, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...options,
            target: 'ES2022',
            lib: ['ES2023', 'DOM'],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            types: ['node'],
            typeRoots: [join(project, 'node_modules/@types')],
          },
          files: ['app.ts'],
        }),
      );
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      await sh(process.execPath, [tsc, '-p', join(project, `ts-${name}`, 'tsconfig.json')], project);
    },
  );

  it.each(packages)('publint and @arethetypeswrong/cli find no problem in @dreamdeck/%s', async (name) => {
    const tarball = tarballs[name]!;
    const publint = await sh(join(root, 'node_modules/.bin/publint'), ['--strict', tarball], root);
    expect(publint.stdout).toMatch(/All good/);
    // the widget is ESM-only by design (it runs in browsers): attw's profile for that
    const profile = name === 'widget' ? ['--profile', 'esm-only'] : [];
    await sh(join(root, 'node_modules/.bin/attw'), [tarball, ...profile, '--format', 'table-flipped'], root);
  });
});

describe.skipIf(!chromiumAvailable())('the widget from npm', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const dist = join(project, 'node_modules/@dreamdeck/widget/dist');
    server = createServer((request, response) => {
      if (request.url === '/') {
        response.setHeader('content-type', 'text/html');
        response.end(
          '<!doctype html><script type="module" src="/dreamdeck-chat.js"></script><script type="module" src="/dreamdeck-admin.js"></script>',
        );
        return;
      }
      const file = join(dist, (request.url ?? '').replace(/^\/+/, ''));
      if (!/^\/dreamdeck-[\w-]+\.js$/.test(request.url ?? '') || !existsSync(file)) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.setHeader('content-type', 'text/javascript');
      response.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the single-file bundles load from a plain <script type="module"> and define every element the manifest lists', async () => {
    const widget = join(project, 'node_modules/@dreamdeck/widget');
    const manifest = JSON.parse(readFileSync(join(widget, 'custom-elements.json'), 'utf8')) as {
      modules: Array<{ path: string; exports?: Array<{ kind: string; name: string }> }>;
    };
    const defined = (path: string) =>
      manifest.modules
        .find((module) => module.path === path)
        ?.exports?.filter((entry) => entry.kind === 'custom-element-definition')
        .map((entry) => entry.name) ?? [];
    const expected = [...defined('dist/dreamdeck-chat.js'), ...defined('dist/dreamdeck-admin.js')];
    expect(expected).toEqual(expect.arrayContaining(['dreamdeck-chat', 'dreamdeck-message', 'dreamdeck-admin']));
    for (const module of manifest.modules) expect(existsSync(join(widget, module.path))).toBe(true);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      await page.waitForFunction(
        () => customElements.get('dreamdeck-chat') && customElements.get('dreamdeck-admin'),
        undefined,
        {
          timeout: 10_000,
        },
      );
      const missing = await page.evaluate((names) => names.filter((name) => !customElements.get(name)), expected);
      expect(missing).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

/** A TypeScript file touching the engine, the HTTP handler and each adapter subpath's factory and options. */
const TYPESCRIPT_APP = `import { createServer } from 'node:http';
import { createDreamdeck, DreamdeckError, type StoryMessage, type TurnEvent } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, toNodeListener } from '@dreamdeck/core/http';
import { createSqliteStorage, type SqliteStorageOptions } from '@dreamdeck/adapters/sqlite';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createOpenAIImages, createOpenAIModel } from '@dreamdeck/adapters/openai';
import { createOllamaModel } from '@dreamdeck/adapters/ollama';
import { createA1111Images } from '@dreamdeck/adapters/a1111';
import { imagesFromEnv, modelFromEnv } from '@dreamdeck/adapters/env';
import { createSearxngSearch, searchFromEnv, type SearxngSearchOptions } from '@dreamdeck/adapters/search';

const options: SqliteStorageOptions = { path: ':memory:' };
const searxng: SearxngSearchOptions = { baseUrl: 'http://127.0.0.1:8888' };
export async function main(): Promise<StoryMessage[]> {
  const storage = process.env.DATABASE_URL
    ? createPostgresStorage({ connectionString: process.env.DATABASE_URL })
    : createSqliteStorage(options);
  const model = process.env.OLLAMA_MODEL
    ? createOllamaModel({ model: process.env.OLLAMA_MODEL })
    : createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-test' });
  const images = process.env.A1111_URL ? createA1111Images({ baseUrl: process.env.A1111_URL }) : createOpenAIImages({ model: 'gpt-image-1', apiKey: 'sk-test' });
  const fromEnv = await modelFromEnv({});
  const imagesEnv = await imagesFromEnv({});
  const dd = await createDreamdeck({
    storage,
    model: process.env.DREAMDECK_MODEL ? fromEnv.adapter : model,
    images: imagesEnv.adapter ?? images,
    search: (await searchFromEnv({})).adapter ?? createSearxngSearch(searxng),
  });
  const auth = createTokenAuth({ secret: 'x'.repeat(32) });
  createServer(toNodeListener(createRequestHandler(dd, { authenticate: auth.authenticate }))).listen(0);
  const session = await dd.openSession({ userId: 'u1' });
  for await (const event of session.send('hello')) {
    const kind: TurnEvent['type'] = event.type;
    if (event.type === 'error') throw new DreamdeckError(event.code, event.message);
    void kind;
  }
  return session.history();
}
`;
