import {
  createDemoImages,
  createDemoModel,
  DreamdeckError,
  type ImageAdapter,
  type ModelAdapter,
} from '@dreamdeck/core';
import { createA1111Images } from '../a1111/a1111-images.js';
import { createOllamaModel } from '../ollama/ollama-model.js';
import { createOpenAIImages } from '../openai/openai-images.js';
import { createOpenAIModel } from '../openai/openai-model.js';

/** What {@link modelFromEnv} chose. */
export interface ModelChoice {
  /** The chat model to pass to `createDreamdeck({ model })`. */
  adapter: ModelAdapter;
  /** One line for logs and startup banners, for example `OpenAI model gpt-4o-mini at https://api.openai.com/v1`. */
  description: string;
}

/** What {@link imagesFromEnv} chose; `adapter` is undefined for `none`. */
export interface ImagesChoice {
  /**
   * The image backend to pass to `createDreamdeck({ images })`; `undefined` for `none`. Given none,
   * `createDreamdeck` falls back to demo images: turn `features.imageGeneration` off to paint nothing.
   */
  adapter: ImageAdapter | undefined;
  /** One line for logs and startup banners, for example `Automatic1111 at http://127.0.0.1:7860`. */
  description: string;
}

/** The environment to read (default `process.env`). */
export type Environment = Record<string, string | undefined>;

function parse(variable: string, value: string | undefined, kinds: readonly string[]): { kind: string; rest: string } {
  const text = (value ?? '').trim() || 'demo';
  const colon = text.indexOf(':');
  const kind = (colon === -1 ? text : text.slice(0, colon)).toLowerCase();
  const rest = colon === -1 ? '' : text.slice(colon + 1).trim();
  const needsRest = kind !== 'demo' && kind !== 'none';
  if (!kinds.includes(kind) || (needsRest && !rest)) {
    const forms = kinds.map((k) => (k === 'demo' || k === 'none' ? k : k === 'a1111' ? 'a1111:<url>' : `${k}:<model>`));
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] ${variable}="${text}" is not understood; use one of: ${forms.join(' | ')}.`,
      {
        details: { variable, value: text },
      },
    );
  }
  return { kind, rest };
}

/**
 * Picks the chat model from `DREAMDECK_MODEL`: `demo` (default: offline, deterministic),
 * `openai:<model>` (uses `OPENAI_API_KEY`, `OPENAI_BASE_URL`) or `ollama:<model>` (uses
 * `OLLAMA_BASE_URL`). Returns the adapter and a line saying what it chose. The provider's package
 * is loaded only when chosen; a missing one fails with `CONFIG_INVALID` naming what to install.
 *
 * @example
 * const { adapter, description } = await modelFromEnv();
 * console.log(`model: ${description}`);
 * const dd = await createDreamdeck({ model: adapter });
 */
export async function modelFromEnv(env: Environment = process.env): Promise<ModelChoice> {
  const { kind, rest } = parse('DREAMDECK_MODEL', env.DREAMDECK_MODEL, ['demo', 'openai', 'ollama']);
  if (kind === 'openai') {
    const baseURL = env.OPENAI_BASE_URL;
    const adapter = createOpenAIModel({ model: rest, apiKey: env.OPENAI_API_KEY, baseURL });
    return { adapter, description: `OpenAI model ${rest} at ${baseURL ?? 'https://api.openai.com/v1'}` };
  }
  if (kind === 'ollama') {
    const baseUrl = env.OLLAMA_BASE_URL;
    const adapter = createOllamaModel({ model: rest, baseUrl });
    return { adapter, description: `Ollama model ${rest} at ${baseUrl ?? 'http://127.0.0.1:11434'}` };
  }
  return {
    adapter: { name: 'demo', model: createDemoModel() },
    description:
      'demo model (offline, deterministic); set DREAMDECK_MODEL=openai:<model> or ollama:<model> for a real one',
  };
}

/**
 * Picks the image backend from `DREAMDECK_IMAGES`: `demo` (default: drawn scene cards),
 * `openai:<model>` (`gpt-image-1`, `dall-e-3`; uses `OPENAI_API_KEY`, `OPENAI_BASE_URL`),
 * `a1111:<url>` (Automatic1111 / Forge) or `none`. Returns the adapter and a line saying what it chose.
 *
 * @example
 * const images = await imagesFromEnv();
 * const dd = await createDreamdeck({ model: (await modelFromEnv()).adapter, images: images.adapter });
 */
export async function imagesFromEnv(env: Environment = process.env): Promise<ImagesChoice> {
  const { kind, rest } = parse('DREAMDECK_IMAGES', env.DREAMDECK_IMAGES, ['demo', 'openai', 'a1111', 'none']);
  if (kind === 'openai') {
    const baseURL = env.OPENAI_BASE_URL;
    const adapter = createOpenAIImages({ model: rest, apiKey: env.OPENAI_API_KEY, baseURL });
    return { adapter, description: `OpenAI images ${rest} at ${baseURL ?? 'https://api.openai.com/v1'}` };
  }
  if (kind === 'a1111') {
    return { adapter: createA1111Images({ baseUrl: rest }), description: `Automatic1111 at ${rest}` };
  }
  if (kind === 'none') return { adapter: undefined, description: 'no image generation' };
  return {
    adapter: createDemoImages(),
    description: 'demo images (drawn scene cards); set DREAMDECK_IMAGES=openai:<model> or a1111:<url> for real ones',
  };
}
