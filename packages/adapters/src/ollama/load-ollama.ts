import { createRequire } from 'node:module';
import { DreamdeckError } from '@dreamdeck/core';
import type * as LangChainOllama from '@langchain/ollama';

/** The `require` the loader uses; injectable so tests can simulate a missing driver. */
export type RequireFunction = (id: string) => unknown;

/** The `@langchain/ollama` module, as {@link loadOllamaDriver} returns it. */
export type OllamaDriver = typeof LangChainOllama;

const requireFromHere = createRequire(
  // import.meta.url in ESM; esbuild leaves import.meta empty in the CJS build, where __filename exists.
  import.meta.url ?? __filename,
);

/**
 * Loads `@langchain/ollama` on first use, so importing `@dreamdeck/adapters/ollama` never needs it.
 * Throws a `CONFIG_INVALID` DreamdeckError naming what to install when it is missing.
 */
export function loadOllamaDriver(require: RequireFunction = requireFromHere): OllamaDriver {
  const name = '@langchain/ollama';
  try {
    return require(name) as OllamaDriver;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') {
      throw new DreamdeckError(
        'CONFIG_INVALID',
        `[dreamdeck] [ollama] could not load ${name}: ${(error as Error).message}`,
        { cause: error, retryable: false },
      );
    }
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] [ollama] install ${name} (npm i ${name}) to use createOllamaModel`,
      { cause: error, retryable: false },
    );
  }
}
