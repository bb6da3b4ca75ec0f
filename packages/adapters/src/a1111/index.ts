/**
 * `@dreamdeck/adapters/a1111`: an image adapter for Automatic1111 / Forge (`/sdapi/v1/txt2img`).
 * No extra dependency.
 * @packageDocumentation
 */
export type { TransportOptions } from '../shared/adapter-options.js';
export type { RetryOptions } from '../shared/retry-policy.js';
export type { A1111ImagesOptions } from './a1111-images.js';
export { A1111_DEFAULT_TIMEOUT_MS, createA1111Images } from './a1111-images.js';
