import type { ProviderInfo } from '../shared/provider-errors.js';

/** Default timeout for OpenAI requests: time to first byte and between streamed chunks. */
export const OPENAI_DEFAULT_TIMEOUT_MS = 60_000;

/** The OpenAI endpoint when neither `baseURL` nor `OPENAI_BASE_URL` is set. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Describes the OpenAI backend for error messages. */
export function openAIProvider(baseUrl: string): ProviderInfo {
  const official = baseUrl.startsWith(OPENAI_DEFAULT_BASE_URL);
  return {
    id: 'openai',
    label: official ? 'OpenAI' : 'The OpenAI-compatible server',
    baseUrl,
    unreachableHint: official ? 'check your network connection' : 'is the server running?',
    authHint: 'check your API key (apiKey or OPENAI_API_KEY)',
  };
}
