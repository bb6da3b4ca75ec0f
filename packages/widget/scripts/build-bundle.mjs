// Builds dist/dreamdeck-chat.js: one self-contained, minified ESM file for a <script type="module"> tag,
// with Lit, marked's lexer and eventsource-parser bundled.
import { readFile } from 'node:fs/promises';
import { build, transform } from 'esbuild';

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
        .replace(/\s*\n\s*/g, ' ')
        // css`…` blocks hold no interpolations here: drop the spaces around CSS punctuation too
        .replace(
          /\bcss`([^`$]*)`/g,
          (_, text) => `css\`${text.replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':')}\``,
        );
      return { contents: code, loader: 'js' };
    });
  },
};

/**
 * marked ships as one module whose tail creates a `Marked` instance at import time, so a bundler
 * must keep its HTML parser and renderer even when only the lexer is used. The widget never
 * renders HTML, so this plugin keeps marked's code up to that tail and exports just `Lexer`;
 * esbuild then drops the parser, renderers and hooks. If marked's layout changes, the plugin
 * leaves the module alone (the size check reports the difference).
 */
const markedLexerOnly = {
  name: 'marked-lexer-only',
  setup(build) {
    build.onLoad({ filter: /marked[\\/]lib[\\/]marked\.esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const lexer = /export\{[^}]*?\b([\w$]+) as Lexer\b/.exec(source)?.[1];
      // the last `var v=new Marked;function marked(…` starts the tail
      const tail = [...source.matchAll(/var ([\w$]+)=new ([\w$]+);function ([\w$]+)\(/g)].at(-1);
      if (!lexer || !tail) {
        console.warn('[build-bundle] marked layout not recognised: bundling all of marked');
        return { contents: source, loader: 'js' };
      }
      return { contents: `${source.slice(0, tail.index)}\nexport{${lexer} as Lexer};\n`, loader: 'js' };
    });
  },
};

const options = {
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2021',
  platform: 'browser',
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
  plugins: [markedLexerOnly, compactTemplates],
};
// two self-contained files: the chat for every page, the admin view for admin pages only
for (const entry of ['dreamdeck-chat', 'dreamdeck-admin']) {
  const result = await build({ ...options, entryPoints: { [entry]: `src/${entry}-bundle.ts` } });
  if (process.argv.includes('--analyze')) {
    const { analyzeMetafile } = await import('esbuild');
    console.log(await analyzeMetafile(result.metafile));
  }
}
