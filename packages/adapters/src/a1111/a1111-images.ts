import type { ImageAdapter, ImageRequest, ImageResult } from '@dreamdeck/core';
import { type TransportOptions, trimBaseUrl } from '../shared/adapter-options.js';
import { malformedError, type ProviderInfo, toProviderError } from '../shared/provider-errors.js';
import { createResilientFetch } from '../shared/resilient-fetch.js';
import { retryPolicy } from '../shared/retry-policy.js';

/** Options for {@link createA1111Images}. */
export interface A1111ImagesOptions extends TransportOptions {
  /** The web UI's URL, for example `http://127.0.0.1:7860` (started with `--api`). */
  baseUrl: string;
  /** Sampling steps (default 30). */
  steps?: number;
  /** Sampler name as the web UI lists it (default `Euler`). */
  sampler?: string;
  /** Scheduler (`Automatic`, `Karras`, …); the web UI's default when unset. */
  scheduler?: string;
  /** Classifier-free guidance scale (default 3.5). */
  cfgScale?: number;
  /** Default width when a request names none (default 512). */
  width?: number;
  /** Default height when a request names none (default 512). */
  height?: number;
  /** Negative prompt used when a request has none. */
  negativePrompt?: string;
}

/** Default timeout for one txt2img request: image generation on a small GPU is slow. */
export const A1111_DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Creates an image adapter for Automatic1111 / Forge's web UI API (`POST /sdapi/v1/txt2img`),
 * the original app's image backend, with its defaults: 30 steps, Euler, CFG 3.5, 512×512.
 * Returns the first image as PNG bytes. Timeouts, retries (default 1) and error mapping are those
 * of the model adapters; the request's `signal` cancels the upstream request.
 *
 * @example
 * const images = createA1111Images({ baseUrl: 'http://127.0.0.1:7860', steps: 20 });
 */
export function createA1111Images(options: A1111ImagesOptions): ImageAdapter {
  const baseUrl = trimBaseUrl(options.baseUrl);
  const provider: ProviderInfo = {
    id: 'a1111',
    label: 'Automatic1111',
    baseUrl,
    unreachableHint: 'is the web UI running with `--api`?',
    authHint: 'check the `--api-auth` credentials in the URL',
  };
  const fetch = createResilientFetch({
    provider,
    timeoutMs: options.timeoutMs ?? A1111_DEFAULT_TIMEOUT_MS,
    retry: retryPolicy({ ...options.retry, maxRetries: options.maxRetries ?? 1 }),
    fetch: options.fetch,
  });

  return {
    name: 'a1111',
    async generate(request: ImageRequest): Promise<ImageResult> {
      const body: Record<string, unknown> = {
        prompt: request.prompt,
        negative_prompt: request.negativePrompt ?? options.negativePrompt ?? '',
        steps: options.steps ?? 30,
        sampler_name: options.sampler ?? 'Euler',
        cfg_scale: options.cfgScale ?? 3.5,
        width: request.width ?? options.width ?? 512,
        height: request.height ?? options.height ?? 512,
        seed: request.seed ?? -1,
        batch_size: 1,
        n_iter: 1,
      };
      if (options.scheduler) body.scheduler = options.scheduler;
      try {
        const response = await fetch(`${baseUrl}/sdapi/v1/txt2img`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: request.signal,
        });
        let payload: { images?: unknown };
        try {
          payload = (await response.json()) as { images?: unknown };
        } catch (error) {
          if (request.signal?.aborted) throw error;
          throw malformedError(provider, 'the txt2img response is not JSON', error);
        }
        const image = Array.isArray(payload.images) ? payload.images[0] : undefined;
        if (typeof image !== 'string' || !image) throw malformedError(provider, 'the txt2img response holds no image');
        return { data: new Uint8Array(Buffer.from(image, 'base64')), mimeType: 'image/png' };
      } catch (error) {
        throw request.signal?.aborted ? error : toProviderError(provider, error);
      }
    },
  };
}
