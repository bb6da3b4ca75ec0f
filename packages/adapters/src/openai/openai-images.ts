import type { ImageAdapter, ImageRequest, ImageResult } from '@dreamdeck/core';
import type { TransportOptions } from '../shared/adapter-options.js';
import { malformedError, toProviderError } from '../shared/provider-errors.js';
import { createResilientFetch } from '../shared/resilient-fetch.js';
import { retryPolicy } from '../shared/retry-policy.js';
import { openAIConnection } from './openai-provider.js';

/** Options for {@link createOpenAIImages}. */
export interface OpenAIImagesOptions extends TransportOptions {
  /** Image model: `gpt-image-1`, `dall-e-3`, `dall-e-2`, or what an OpenAI-compatible server serves. */
  model: string;
  /** Image size as the API spells it, for example `1024x1024`. Default: the server's. */
  size?: string;
  /** Quality as the API spells it (`low` \| `medium` \| `high` for gpt-image-1, `standard` \| `hd` for dall-e-3). */
  quality?: string;
  /** API key. Default: `OPENAI_API_KEY`. */
  apiKey?: string;
  /** Base URL including `/v1`. Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL?: string;
  /**
   * For `dall-e-*` models: ask for bytes (`b64_json`, the default, kept with the story) or a URL
   * (`url`, which OpenAI expires after an hour). gpt-image-1 always answers with bytes.
   */
  responseFormat?: 'b64_json' | 'url';
}

/** Default timeout for one image request, in ms. */
export const OPENAI_IMAGES_DEFAULT_TIMEOUT_MS = 120_000;

interface ImagesResponse {
  data?: Array<{ b64_json?: string; url?: string }>;
  output_format?: string;
}

/**
 * Creates an image adapter over OpenAI's `POST /v1/images/generations` (or an OpenAI-compatible
 * server's). Answers with PNG bytes (`b64_json`) or a URL, whichever the server sends. Timeouts,
 * retries and error mapping are those of {@link createOpenAIModel}.
 *
 * @example
 * const images = createOpenAIImages({ model: 'gpt-image-1', size: '1024x1024', quality: 'low' });
 */
export function createOpenAIImages(options: OpenAIImagesOptions): ImageAdapter {
  const { baseURL, apiKey, provider } = openAIConnection(options, 'createOpenAIImages');
  const fetch = createResilientFetch({
    provider,
    timeoutMs: options.timeoutMs ?? OPENAI_IMAGES_DEFAULT_TIMEOUT_MS,
    retry: retryPolicy({ ...options.retry, maxRetries: options.maxRetries }),
    fetch: options.fetch,
  });
  const isDallE = options.model.startsWith('dall-e');

  return {
    name: `openai:${options.model}`,
    async generate(request: ImageRequest): Promise<ImageResult> {
      const body: Record<string, unknown> = { model: options.model, prompt: request.prompt, n: 1 };
      if (options.size) body.size = options.size;
      if (options.quality) body.quality = options.quality;
      if (isDallE) body.response_format = options.responseFormat ?? 'b64_json';
      try {
        const response = await fetch(`${baseURL}/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
          body: JSON.stringify(body),
          signal: request.signal,
        });
        let payload: ImagesResponse;
        try {
          payload = (await response.json()) as ImagesResponse;
        } catch (error) {
          if (request.signal?.aborted) throw error;
          throw malformedError(provider, 'the image response is not JSON', error);
        }
        const image = payload.data?.[0];
        const mimeType = `image/${payload.output_format ?? 'png'}`;
        if (image?.b64_json) return { data: new Uint8Array(Buffer.from(image.b64_json, 'base64')), mimeType };
        if (image?.url) return { url: image.url, mimeType };
        throw malformedError(provider, 'the image response holds no image');
      } catch (error) {
        throw request.signal?.aborted ? error : toProviderError(provider, error);
      }
    },
  };
}
