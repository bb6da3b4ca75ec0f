/**
 * `@dreamdeck/adapters/env`: choose the model and image backends from environment variables
 * (`DREAMDECK_MODEL`, `DREAMDECK_IMAGES`), as the examples do.
 * @packageDocumentation
 */

export type { Environment, ImagesChoice, ModelChoice } from './from-env.js';
export { imagesFromEnv, modelFromEnv } from './from-env.js';
