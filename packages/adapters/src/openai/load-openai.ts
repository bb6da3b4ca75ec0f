import { createRequire } from 'node:module';
import { DreamdeckError } from '@dreamdeck/core';
import type * as LangChainOpenAI from '@langchain/openai';

/** The `require` the loader uses; injectable so tests can simulate a missing driver. */
export type RequireFunction = (id: string) => unknown;

/** The `@langchain/openai` module, as {@link loadOpenAIDriver} returns it. */
export type OpenAIDriver = typeof LangChainOpenAI;

const requireFromHere = createRequire(
  // import.meta.url in ESM; esbuild leaves import.meta empty in the CJS build, where __filename exists.
  import.meta.url ?? __filename,
);

/**
 * Loads `@langchain/openai` on first use, so importing `@dreamdeck/adapters/openai` never needs it.
 * Throws a `CONFIG_INVALID` DreamdeckError naming what to install when it is missing.
 */
export function loadOpenAIDriver(require: RequireFunction = requireFromHere): OpenAIDriver {
  const name = '@langchain/openai';
  try {
    return require(name) as OpenAIDriver;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') {
      throw new DreamdeckError(
        'CONFIG_INVALID',
        `[dreamdeck] [openai] could not load ${name}: ${(error as Error).message}`,
        { cause: error, retryable: false },
      );
    }
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] [openai] install ${name} (npm i ${name}@1.5.8) to use createOpenAIModel`,
      { cause: error, retryable: false },
    );
  }
}
