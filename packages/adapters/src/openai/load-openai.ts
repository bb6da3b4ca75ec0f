import type * as LangChainOpenAI from '@langchain/openai';
import { type RequireFunction, requireOptional } from '../shared/optional-module.js';

/** The `@langchain/openai` module, as {@link loadOpenAIDriver} returns it. */
export type OpenAIDriver = typeof LangChainOpenAI;

/**
 * Loads `@langchain/openai` on first use, so importing `@dreamdeck/adapters/openai` never needs it.
 * Throws a `CONFIG_INVALID` DreamdeckError naming what to install when it is missing.
 */
export function loadOpenAIDriver(require?: RequireFunction): OpenAIDriver {
  return requireOptional<OpenAIDriver>('@langchain/openai', {
    adapter: 'openai',
    code: 'CONFIG_INVALID',
    missing: 'install @langchain/openai (npm i @langchain/openai@1.5.8) to use createOpenAIModel',
    ...(require && { require }),
  });
}
