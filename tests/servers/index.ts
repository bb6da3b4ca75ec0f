/**
 * Loopback HTTP servers that speak the real wire protocols of the model and image backends
 * (OpenAI, Ollama, Automatic1111, and the SearXNG, Tavily and SerpApi search APIs) on 127.0.0.1 with ephemeral ports. Shared by the adapter tests,
 * the integration tests and the benchmarks. Each request can be scripted (reply text, token delay,
 * status and headers, faults) and every request is recorded.
 */
export { startA1111Server } from './a1111-server.js';
export {
  DEFAULT_REPLY,
  delay,
  type LoopbackServer,
  type ProtocolHandler,
  type RecordedRequest,
  type ReplyScript,
  type RequestContext,
  sampleFromSchema,
  splitTokens,
  startLoopbackServer,
  TINY_PNG,
  type TokenListener,
} from './loopback-server.js';
export { startOllamaServer } from './ollama-server.js';
export { startOpenAIServer } from './openai-server.js';
export {
  type FixtureResult,
  SEARCH_FIXTURE,
  type SearchServerOptions,
  startSearxngServer,
  startSerpApiServer,
  startTavilyServer,
} from './search-servers.js';
