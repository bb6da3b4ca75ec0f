import type * as LangChainOllama from '@langchain/ollama';
import { type RequireFunction, requireOptional } from '../shared/optional-module.js';

/** The `@langchain/ollama` module, as {@link loadOllamaDriver} returns it. */
export type OllamaDriver = typeof LangChainOllama;

/**
 * Loads `@langchain/ollama` on first use, so importing `@dreamdeck/adapters/ollama` never needs it.
 * Throws a `CONFIG_INVALID` DreamdeckError naming what to install when it is missing.
 */
export function loadOllamaDriver(require?: RequireFunction): OllamaDriver {
  return requireOptional<OllamaDriver>('@langchain/ollama', {
    adapter: 'ollama',
    code: 'CONFIG_INVALID',
    missing: 'install @langchain/ollama (npm i @langchain/ollama) to use createOllamaModel',
    ...(require && { require }),
  });
}
