// Builds dist/dreamdeck-chat.js: one self-contained, minified ESM file for a <script type="module"> tag,
// with Lit, marked's lexer and eventsource-parser bundled.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { build, transform } from 'esbuild';
import { minify } from 'terser';

// paths below are relative to the package, wherever the script is started from
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
process.chdir(packageRoot);

/**
 * Shrinks the widget's own Lit templates: each source file is first compiled with whitespace
 * minified, after which raw line breaks survive only inside template literals (html`…`, css`…`);
 * every whitespace run holding a line break there becomes one space, which HTML and CSS read the
 * same way (the templates contain no <pre>/<textarea> text).
 */
const compactTemplates = {
  name: 'compact-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]widget[\\/]src[\\/][\w-]+\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const compiled = await transform(source, {
        loader: 'ts',
        format: 'esm',
        minifyWhitespace: true,
        target: 'es2022',
        tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
        sourcefile: args.path,
      });
      const code = compiled.code
        // next to a tag the whole run goes (no template relies on a space between a tag and a line
        // break: the rows are flex or block layouts); elsewhere it is one space
        .replace(/\s*\n\s*(?=<)|(?<=>)\s*\n\s*/g, '')
        .replace(/\s*\n\s*/g, ' ')
        // css`…` blocks hold no interpolations here: drop the spaces around CSS punctuation too
        .replace(
          /\bcss`([^`$]*)`/g,
          (_, text) =>
            `css\`${text
              .trim()
              .replace(/\s*([{};,>])\s*/g, '$1')
              .replace(/:\s+/g, ':')
              .replace(/;}/g, '}')
              .replace(/([:\s(])0\./g, '$1.')
              .replace(/\) \/ /g, ')/')}\``,
        );
      return { contents: code, loader: 'js' };
    });
  },
};

/**
 * The only options the widget ever lexes with (`src/markdown.ts`); the build folds them into
 * marked's code below, and checks the result against marked itself.
 */
const LEX_OPTIONS = { gfm: true, breaks: true };
/** What marked's lexer reads from its options, as constants for {@link LEX_OPTIONS}. */
const FOLDED_OPTIONS = { pedantic: '!1', silent: '!1', gfm: '!0', breaks: '!0', extensions: 'null', hooks: 'null' };

/**
 * marked ships as one module whose tail creates a `Marked` instance at import time, so a bundler
 * must keep its HTML parser and renderer even when only the lexer is used. The widget never
 * renders HTML, so this keeps marked's code up to that tail and exports just `Lexer`; esbuild then
 * drops the parser, renderers and hooks. It also folds the lexer's option reads
 * (`this.options.pedantic` …) into the constants the widget always uses ({@link LEX_OPTIONS}: no
 * pedantic mode, no extensions or hooks), so the branches for other options are dropped too.
 * Returns `undefined` when marked's layout is not recognised.
 *
 * @param {string} source - `marked.esm.js`
 */
function lexerOnly(source) {
  const lexer = /export\{[^}]*?\b([\w$]+) as Lexer\b/.exec(source)?.[1];
  // the last `var v=new Marked;function marked(…` starts the tail
  const tail = [...source.matchAll(/var ([\w$]+)=new ([\w$]+);function ([\w$]+)\(/g)].at(-1);
  if (!lexer || !tail) return undefined;
  const names = Object.keys(FOLDED_OPTIONS).join('|');
  // reads only: `this.options.gfm=…` (an assignment) is left alone
  const folded = source
    .slice(0, tail.index)
    .replace(new RegExp(`this\\.options\\.(${names})\\b(?!\\s*=(?!=))`, 'g'), (_, name) => FOLDED_OPTIONS[name]);
  return `${folded}\nexport{${lexer} as Lexer};\n`;
}

/** Calls `visit(node, parent)` for every node of an acorn (ESTree) tree. */
function walk(node, visit, parent) {
  visit(node, parent);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value])
      if (child && typeof child.type === 'string') walk(child, visit, node);
  }
}

/** Applies `[start, end, replacement]` edits to `text` (ranges must not overlap). */
function applyEdits(text, edits) {
  let result = text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0]))
    result = result.slice(0, start) + replacement + result.slice(end);
  return result;
}

/**
 * One pass of {@link pruneLexer}: drops unread rule-table entries, then unreachable top-level
 * declarations. Returns the code unchanged when there is nothing left to drop.
 */
function prunePass(code, dropped) {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const read = new Set();
  walk(program, (node) => {
    if (node.type === 'MemberExpression' && !node.computed) read.add(node.property.name);
  });
  const keyOf = (property) => (property.type === 'Property' && !property.computed ? property.key.name : undefined);
  const edits = [];
  walk(program, (node) => {
    if (node.type !== 'ObjectExpression') return;
    const keys = node.properties.map(keyOf);
    // the rule sets by option ({ normal, gfm, breaks, pedantic }) and the `other` regex table
    const table = (keys.includes('normal') && keys.includes('pedantic')) || keys.includes('blockquoteStart');
    const kept = node.properties.filter((property) => !table || !keyOf(property) || read.has(keyOf(property)));
    if (kept.length === node.properties.length) return;
    for (const key of keys) if (key && !read.has(key)) dropped.push(key);
    edits.push([
      node.start,
      node.end,
      `{${kept.map((property) => code.slice(property.start, property.end)).join(',')}}`,
    ]);
  });
  if (edits.length) return applyEdits(code, edits);
  // top-level bindings reachable from the statements that are not declarations (the export)
  const bindings = new Map();
  for (const statement of program.body) {
    if (statement.type === 'VariableDeclaration')
      for (const declarator of statement.declarations) bindings.set(declarator.id.name, declarator);
    else if (statement.id) bindings.set(statement.id.name, statement);
  }
  const referenced = (node) => {
    const names = [];
    walk(node, (child, parent) => {
      if (child.type !== 'Identifier' || !bindings.has(child.name)) return;
      if (parent?.type === 'MemberExpression' && parent.property === child && !parent.computed) return;
      if (parent?.key === child && !parent.computed && !parent.shorthand) return;
      names.push(child.name);
    });
    return names;
  };
  const live = new Set();
  const pending = program.body
    .filter((statement) => !statement.id && statement.type !== 'VariableDeclaration')
    .flatMap(referenced);
  while (pending.length) {
    const name = pending.pop();
    if (live.has(name)) continue;
    live.add(name);
    pending.push(...referenced(bindings.get(name)));
  }
  for (const statement of program.body) {
    if (statement.type === 'VariableDeclaration') {
      const kept = statement.declarations.filter((declarator) => live.has(declarator.id.name));
      if (kept.length === statement.declarations.length) continue;
      edits.push([
        statement.start,
        statement.end,
        kept.length ? `${statement.kind} ${kept.map((d) => code.slice(d.start, d.end)).join(',')};` : '',
      ]);
    } else if (statement.id && !live.has(statement.id.name)) {
      edits.push([statement.start, statement.end, '']);
    }
  }
  dropped.push(...[...bindings.keys()].filter((name) => !live.has(name)));
  return applyEdits(code, edits);
}

/**
 * marked's lexer builds every rule set when it loads — normal, GFM, GFM with breaks and pedantic —
 * and one table of helper regexes, though {@link LEX_OPTIONS} only ever selects GFM with breaks.
 * Once {@link lexerOnly} has folded the options and esbuild has dropped the dead branches, this
 * removes what nothing reads any more: the `pedantic` rule sets, table entries no code reads by
 * name, and the top-level declarations only those used. It relies on what marked's top level is:
 * declarations that build regexes, tables, functions and classes, with no other side effects;
 * {@link checkLexer} compares the result with marked itself on every build.
 *
 * @param {string} source - the output of {@link lexerOnly}
 * @param {string[]} [dropped] - receives the names removed (for `--analyze`)
 */
async function pruneLexer(source, dropped = []) {
  let code = (await transform(source, { minifySyntax: true, format: 'esm', target: 'es2022' })).code;
  code = onlyStaticLex(code, dropped);
  for (let pass = 0; pass < 20; pass++) {
    const next = prunePass(code, dropped);
    if (next === code) return code;
    code = next;
  }
  throw new Error('[build-bundle] pruning marked did not settle');
}

/**
 * The widget only ever calls `Lexer.lex()`: the lexer class's other static members (`rules`,
 * `lexInline`) go, so the rule tables are reachable only through what the lexer itself reads.
 */
function onlyStaticLex(code, dropped) {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const exported = program.body
    .find((statement) => statement.type === 'ExportNamedDeclaration')
    ?.specifiers.find((specifier) => specifier.exported.name === 'Lexer')?.local.name;
  const edits = [];
  walk(program, (node) => {
    const name = node.type === 'VariableDeclarator' ? node.id.name : node.id?.name;
    const body = node.type === 'VariableDeclarator' ? node.init?.body : node.body;
    if (name !== exported || body?.type !== 'ClassBody') return;
    for (const member of body.body) {
      if (!member.static || member.computed || member.key.name === 'lex') continue;
      dropped.push(`Lexer.${member.key.name}`);
      edits.push([member.start, member.end, '']);
    }
  });
  return applyEdits(code, edits);
}

/** The widget's cut of marked: {@link lexerOnly}, then {@link pruneLexer}; `undefined` for an unknown layout. */
async function trimmedLexer(source, dropped) {
  const folded = lexerOnly(source);
  return folded && (await pruneLexer(folded, dropped));
}

let reported = false;
const markedLexerOnly = {
  name: 'marked-lexer-only',
  setup(build) {
    build.onLoad({ filter: /marked[\\/]lib[\\/]marked\.esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const dropped = [];
      const contents = await trimmedLexer(source, dropped);
      if (!contents) console.warn('[build-bundle] marked layout not recognised: bundling all of marked');
      if (process.argv.includes('--analyze') && !reported)
        console.log(`marked: dropped ${[...new Set(dropped)].join(' ')}`);
      reported = true;
      return { contents: contents ?? source, loader: 'js' };
    });
  },
};

/** Markdown that exercises every token the lexer makes, for {@link checkLexer}. */
const LEX_SAMPLES = [
  '# Title\n\nSome *em*, **strong**, ***both***, ~~del~~, `code` and a\nline break.',
  'Setext\n===\n\nSub\n---\n\n> quote\n> > nested\n\n---\n\n    indented code',
  '```js\nconst x = 1 < 2;\n```\n\n~~~\ntilde\n~~~',
  '- one\n- two\n  - nested\n\n1. a\n2. b\n\n3) c\n\n- [ ] task\n- [x] done\n\n* loose\n\n* list',
  '| a | b |\n|:-|-:|\n| 1 | **2** |\n| x \\| y | z |',
  '[link](https://example.com "title") <https://auto.link> www.example.com a@b.co https://bare.example/path?q=1',
  '[ref][r] and [r]\n\n[r]: https://example.com/ref "T"\n\n![img](https://x.test/a.png) ![alt][r]',
  '<div onclick="x()">html block</div>\n\ninline <b>tag</b> <!-- comment --> &amp; &lt; &#39; &copy;',
  '<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](  java\tscript:z ) <img src=x onerror=y>',
  'Escapes: \\* \\_ \\` \\[ and trailing spaces  \nhard break\\\nbackslash break',
  '_under_ __strong__ *a **b** c* a*b*c 2*3*4 snake_case_word **[link](https://e.x)**',
  'Tabs\tand\r\nCRLF\r\n\r\n\u00a0nbsp and unicode 🎲 *ünïcödé*',
  'Term\n: not a def list\n\n+ plus list\n+ item\n\n10. ten\n11. eleven',
  '> - quoted list\n>   continued\n\n- a\n\n  para in item\n\n      code in item',
  'Text with ~single~ tilde and ~~~not fence~~~ and `` code with ` tick ``',
];

/**
 * Lexes {@link LEX_SAMPLES} with the trimmed lexer and with marked itself and fails the build when
 * any token differs, so the trimming can never change how the widget reads markdown.
 */
async function checkLexer() {
  const { readFile: read, writeFile, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const path = createRequire(import.meta.url)
    .resolve('marked')
    .replace(/marked\.cjs$|marked\.umd\.js$/, 'marked.esm.js');
  const trimmed = await trimmedLexer(await read(path, 'utf8'));
  if (!trimmed) return;
  const dir = await mkdtemp(join(tmpdir(), 'dreamdeck-lexer-'));
  try {
    await writeFile(join(dir, 'lexer.mjs'), trimmed);
    const { Lexer: Trimmed } = await import(pathToFileURL(join(dir, 'lexer.mjs')).href);
    const { Lexer: Original } = await import(pathToFileURL(path).href);
    for (const sample of LEX_SAMPLES) {
      const a = JSON.stringify(Trimmed.lex(sample, { ...LEX_OPTIONS }));
      const b = JSON.stringify(Original.lex(sample, { ...LEX_OPTIONS }));
      if (a !== b) throw new Error(`[build-bundle] the trimmed marked lexer differs from marked on:\n${sample}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How eventsource-parser's `createParser` reads its options, and the one option the widget passes. */
const SSE_OPTIONS_READ = 'const { onEvent = noop, onError = noop, onRetry = noop, onComment, maxBufferSize } = config';
const SSE_OPTIONS_FOLDED = 'const { onEvent = noop } = config, onComment = void 0, maxBufferSize = void 0';

/**
 * The widget calls eventsource-parser's `createParser({ onEvent })` and nothing else
 * (`readTurnEvents` in `src/api-client.ts`), so, as for marked, the options it never passes are
 * folded into their defaults: no error, retry or comment callbacks, no buffer limit. The minifier
 * then drops the buffer check and the error objects built only for the error callback.
 * {@link checkSseParser} compares the result with eventsource-parser on every build.
 * Returns `undefined` when the parser's layout is not recognised.
 *
 * @param {string} source - eventsource-parser's `dist/index.js`
 */
function sseParserOnEvent(source) {
  if (!source.includes(SSE_OPTIONS_READ)) return undefined;
  // a call to a callback the widget never passes does nothing (its arguments only build the value
  // to pass): each becomes `void 0`
  const edits = [];
  walk(parse(source, { ecmaVersion: 'latest', sourceType: 'module' }), (node) => {
    if (node.type === 'CallExpression' && ['onError', 'onRetry', 'onComment'].includes(node.callee.name))
      edits.push([node.start, node.end, 'void 0']);
    // only a buffer limit ever terminates the parser
    if (node.type === 'IfStatement' && node.test.name === 'terminated') edits.push([node.start, node.end, '']);
  });
  return applyEdits(source, edits).replace(SSE_OPTIONS_READ, SSE_OPTIONS_FOLDED);
}

const sseParserFolded = {
  name: 'sse-parser-folded',
  setup(build) {
    build.onLoad({ filter: /eventsource-parser[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = sseParserOnEvent(source);
      if (!contents) console.warn('[build-bundle] eventsource-parser layout not recognised: bundling it whole');
      return { contents: contents ?? source, loader: 'js' };
    });
  },
};

/** Server-sent event streams for {@link checkSseParser}: fields, comments, CR/LF, BOM, bad lines. */
const SSE_SAMPLES = [
  'data: {"type":"status"}\n\n',
  '\ufeffdata: a\ndata: b\n\nevent: x\nid: 7\ndata: c\n\n',
  ': comment\n\nretry: 1000\nretry: soon\ndata:no-space\r\n\r\ndata: cr\r\rdata: last\n\n',
  'bogus: field\ndata\n\nid: a\u0000b\ndata: after bad id\n\ndata: unterminated',
];

/**
 * Feeds {@link SSE_SAMPLES}, split at every position, to the folded parser and to eventsource-parser
 * itself and fails the build when the events differ.
 */
async function checkSseParser() {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const path = join(
    createRequire(import.meta.url)
      .resolve('eventsource-parser')
      .replace(/[\\/]dist[\\/][^\\/]+$/, ''),
    'dist',
    'index.js',
  );
  const folded = sseParserOnEvent(await readFile(path, 'utf8'));
  if (!folded) return;
  const dir = await mkdtemp(join(tmpdir(), 'dreamdeck-sse-'));
  try {
    await writeFile(join(dir, 'parser.mjs'), folded);
    const { createParser: trimmed } = await import(pathToFileURL(join(dir, 'parser.mjs')).href);
    const { createParser: original } = await import(pathToFileURL(path).href);
    const events = (create, chunks) => {
      const seen = [];
      const parser = create({ onEvent: (event) => seen.push(event) });
      for (const chunk of chunks) parser.feed(chunk);
      return JSON.stringify(seen);
    };
    for (const sample of SSE_SAMPLES) {
      for (let cut = 0; cut <= sample.length; cut++) {
        const chunks = [sample.slice(0, cut), sample.slice(cut)];
        if (events(trimmed, chunks) !== events(original, chunks))
          throw new Error(`[build-bundle] the folded SSE parser differs from eventsource-parser on:\n${sample}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * German lives in its own file: the widgets `import('./strings-de.js')` only when a page asks for
 * it, and this plugin points that dynamic import at `./dreamdeck-locale-de.js` beside the bundle
 * (built below as its own entry) instead of inlining it, so English-only pages never download it.
 */
const lazyLocales = {
  name: 'lazy-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\/strings-(\w+)\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const language = /strings-(\w+)\.js$/.exec(args.path)[1];
      return { path: `./dreamdeck-locale-${language}.js`, external: true };
    });
    // the Memory panel likewise: `import('./dreamdeck-memory.js')` stays a request for the file of
    // that name beside the bundle (built below as its own entry, with its own copy of Lit, ~8 KB
    // gzipped), fetched when a player first opens the panel
    build.onResolve({ filter: /^\.\/dreamdeck-memory\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './dreamdeck-memory.js', external: true } : undefined,
    );
    // the World panel (lore, author's note, imports; issue 20), and the knowledge base's document
    // list it loads in turn when that file is there
    build.onResolve({ filter: /^\.\/dreamdeck-(world|knowledge-docs)\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
    // a message's story tools (edit, rewind, branch: issue 21), fetched when a player first opens them
    build.onResolve({ filter: /^\.\/dreamdeck-story-tools\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './dreamdeck-story-tools.js', external: true } : undefined,
    );
    // the survey card (issue 22), fetched when the first survey interrupt arrives
    build.onResolve({ filter: /^\.\/dreamdeck-survey\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './dreamdeck-survey.js', external: true } : undefined,
    );
    // the story list and settings panels too (issue 21: the main bundle's budget)
    build.onResolve({ filter: /^\.\/dreamdeck-panels\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './dreamdeck-panels.js', external: true } : undefined,
    );
    // marked's lexer (issues 19, 21, 23: the main bundle's 30 KB budget), fetched as the chat
    // connects, beside its start-up requests; text shows plain for the moment before it is there
    build.onResolve({ filter: /^\.\/markdown-lexer\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './dreamdeck-markdown.js', external: true } : undefined,
    );
    // and the turn stream's parser (eventsource-parser), fetched once the story shows: nothing
    // streams before the player's first turn
    build.onResolve({ filter: /^\.\/turn-events\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './dreamdeck-turn-events.js', external: true } : undefined,
    );
  },
};

/**
 * Private members of the widget classes that the minifier may shorten. Only names that never reach
 * anything outside the bundle: not a Lit property or state that is named in a template or in
 * `changed.has('…')` (Lit knows those by name), not a DOM, JSON or strings key.
 * {@link checkMangleable} re-checks the strings and wire types on every build; it cannot see a DOM
 * property of the same name (`response.statusText`) or a template attribute (`?busy=`), so look
 * for those by hand before adding a name.
 */
const PRIVATE_MEMBERS =
  `announcedThread clearPersisted fetcher focusInput hintList keepScroll lastAction loadFlags loadPersonas
  loadingOlder localeTag needLocale onFeedback onHashChange onInput onInputKeydown onKeydown onOffline onOnline
  onScroll onSubmit onTurnEvent openThread persistKey personaOf pickThread readPersisted refreshThreads
  reloadThread renderActions renderFeedback renderImage renderInterrupt renderSettings renderUsage sendComment
  setFlag setPersona setThreadId showOlder showVersion startNewThread stickToBottom storageKey toError
  togglePanel useHint writePersisted started preferredPersona announcement draft fail rate commenting
  commentSent renameThread deleteThread renderThread listen`.split(/\s+/);

/**
 * Fails the build when a name in {@link PRIVATE_MEMBERS} shows up where shortening it would break
 * something: as a string in the unmangled bundle (Lit's `changed.has('…')`, `dispatchEvent` names),
 * or as a word in the strings, the wire types or the public entry.
 */
async function checkMangleable(bundle) {
  const guarded = await Promise.all(
    ['src/strings.ts', 'src/strings-de.ts', 'src/protocol.ts', 'src/index.ts'].map((file) => readFile(file, 'utf8')),
  );
  for (const name of PRIVATE_MEMBERS) {
    const quoted = new RegExp(`["'\`]${name}["'\`]`);
    const word = new RegExp(`\\b${name}\\b`);
    if (quoted.test(bundle) || guarded.some((text) => word.test(text)))
      throw new Error(`[build-bundle] "${name}" cannot be mangled: it is used by name`);
  }
}

const options = {
  absWorkingDir: packageRoot,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  platform: 'browser',
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
  plugins: [lazyLocales, markedLexerOnly, sseParserFolded, compactTemplates],
  mangleProps: new RegExp(`^(${PRIVATE_MEMBERS.join('|')})$`),
};
// two self-contained files: the chat for every page, the admin view for admin pages only; plus the
// German strings, loaded by either one on demand
const entries = {
  'dreamdeck-chat': 'src/dreamdeck-chat-bundle.ts',
  'dreamdeck-admin': 'src/dreamdeck-admin-bundle.ts',
  'dreamdeck-locale-de': 'src/strings-de.ts',
  'dreamdeck-memory': 'src/dreamdeck-memory.ts',
  'dreamdeck-world': 'src/dreamdeck-world.ts',
  'dreamdeck-knowledge-docs': 'src/dreamdeck-knowledge-docs.ts',
  'dreamdeck-panels': 'src/dreamdeck-panels.ts',
  'dreamdeck-survey': 'src/dreamdeck-survey.ts',
  'dreamdeck-story-tools': 'src/dreamdeck-story-tools.ts',
  'dreamdeck-turn-events': 'src/turn-events.ts',
  'dreamdeck-markdown': 'src/markdown-lexer.ts',
};
await checkLexer();
await checkSseParser();
for (const source of ['src/dreamdeck-chat-bundle.ts', 'src/dreamdeck-admin-bundle.ts']) {
  const plain = await build({
    ...options,
    mangleProps: undefined,
    entryPoints: [source],
    write: false,
    metafile: false,
  });
  await checkMangleable(plain.outputFiles.find((file) => file.path.endsWith('.js')).text);
}
/**
 * Minifies esbuild's output once more with terser, whose choice of local names compresses better
 * under gzip (about 0.5 KB off the chat file), and chains the source maps, so the `.map` still
 * points at the TypeScript sources.
 *
 * @param {import('esbuild').OutputFile[]} files - one entry's `.js` and `.js.map`
 */
async function finish(files) {
  const js = files.find((file) => file.path.endsWith('.js'));
  const map = files.find((file) => file.path.endsWith('.js.map'));
  const name = basename(js.path);
  const code = js.text.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');
  let result = { code, map: map.text };
  // a second pass finds a little more once the first has reshaped the code (~90 B gzipped)
  for (let pass = 0; pass < 2; pass++) {
    result = await minify(result.code, {
      module: true,
      ecma: 2020,
      compress: { passes: 2 },
      format: { comments: false },
      // the map stays beside the file for local debugging; the npm package ships neither it nor a link to it
      sourceMap: { content: result.map, filename: name },
    });
  }
  await writeFile(js.path, `${result.code}\n`);
  await writeFile(map.path, result.map);
}

await mkdir('dist', { recursive: true });
for (const [entry, source] of Object.entries(entries)) {
  const result = await build({ ...options, entryPoints: { [entry]: source }, write: false });
  await finish(result.outputFiles);
  if (process.argv.includes('--analyze')) {
    const { analyzeMetafile } = await import('esbuild');
    console.log(await analyzeMetafile(result.metafile));
  }
}

// Types for the script-tag files: they export the same classes as the npm entry (whose d.ts tsup
// writes to dist/index.d.ts), so a TypeScript user importing a subpath gets those declarations.
const BUNDLE_TYPES = {
  'dreamdeck-chat': "export { DreamdeckChat } from './index.js';",
  'dreamdeck-admin': "export { DreamdeckAdmin } from './index.js';",
  'dreamdeck-locale-de': "export { de, de as default } from './index.js';",
  'dreamdeck-memory': "export type { DreamdeckMemoryPanel } from './index.js';",
  'dreamdeck-world': "export type { DreamdeckWorld } from './index.js';",
  'dreamdeck-knowledge-docs': "export type { DreamdeckKnowledgeDocs } from './index.js';",
  'dreamdeck-panels': "export type { DreamdeckSettings, DreamdeckThreadList } from './index.js';",
  'dreamdeck-survey': "export type { DreamdeckSurvey } from './index.js';",
  'dreamdeck-story-tools': "export type { DreamdeckMessageTools } from './index.js';",
  'dreamdeck-turn-events': "export { readTurnEvents } from './index.js';",
  'dreamdeck-markdown': "export { Lexer } from 'marked';",
};
for (const [entry, types] of Object.entries(BUNDLE_TYPES)) {
  await writeFile(`dist/${entry}.d.ts`, `${types}\n`);
}
