import { DreamdeckError } from '@dreamdeck/core';
import { trimBaseUrl } from '../shared/adapter-options.js';
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

/**
 * Resolves where an OpenAI adapter connects: `baseURL` (else `OPENAI_BASE_URL`, else OpenAI) and
 * `apiKey` (else `OPENAI_API_KEY`). OpenAI itself needs a key, so its absence throws
 * `CONFIG_INVALID` naming `factory`; OpenAI-compatible servers often need none.
 */
export function openAIConnection(
  options: { baseURL?: string; apiKey?: string },
  factory: string,
): { baseURL: string; apiKey: string | undefined; provider: ProviderInfo } {
  const baseURL = trimBaseUrl(options.baseURL ?? process.env.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL);
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  if (!apiKey && baseURL === OPENAI_DEFAULT_BASE_URL) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] [openai] no API key: set OPENAI_API_KEY or pass \`apiKey\` to ${factory}().`,
    );
  }
  return { baseURL, apiKey, provider: openAIProvider(baseURL) };
}
