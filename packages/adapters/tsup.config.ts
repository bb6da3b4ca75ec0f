import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'openai/index': 'src/openai/index.ts',
    'ollama/index': 'src/ollama/index.ts',
    'a1111/index': 'src/a1111/index.ts',
    'env/index': 'src/env/index.ts',
    'search/index': 'src/search/index.ts',
    'sqlite/index': 'src/sqlite/index.ts',
    'postgres/index': 'src/postgres/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  external: [
    '@dreamdeck/core',
    'better-sqlite3',
    'pg',
    '@langchain/openai',
    '@langchain/ollama',
    '@langchain/langgraph-checkpoint-sqlite',
    '@langchain/langgraph-checkpoint-postgres',
  ],
});
