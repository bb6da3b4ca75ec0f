/**
 * `@dreamdeck/adapters/ollama`: a chat model adapter for a local Ollama, on `@langchain/ollama`
 * (an optional peer dependency: `pnpm add @langchain/ollama`).
 * @packageDocumentation
 */
export type { TransportOptions } from '../shared/adapter-options.js';
export type { RetryOptions } from '../shared/retry-policy.js';
export type { OllamaModelOptions } from './ollama-model.js';
export { createOllamaModel, OLLAMA_DEFAULT_BASE_URL, OLLAMA_DEFAULT_TIMEOUT_MS } from './ollama-model.js';
