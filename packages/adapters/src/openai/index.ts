/**
 * `@dreamdeck/adapters/openai`: chat and image adapters for OpenAI and OpenAI-compatible servers
 * (vLLM, LM Studio, llama.cpp's server), on `@langchain/openai` (an optional peer dependency:
 * `pnpm add @langchain/openai@1.5.8`).
 * @packageDocumentation
 */
export type { TransportOptions } from '../shared/adapter-options.js';
export type { RetryOptions } from '../shared/retry-policy.js';
export type { OpenAIImagesOptions } from './openai-images.js';
export { createOpenAIImages, OPENAI_IMAGES_DEFAULT_TIMEOUT_MS } from './openai-images.js';
export type { OpenAIModelOptions } from './openai-model.js';
export { createOpenAIModel } from './openai-model.js';
export { OPENAI_DEFAULT_BASE_URL, OPENAI_DEFAULT_TIMEOUT_MS } from './openai-provider.js';
