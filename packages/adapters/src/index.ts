/**
 * `@dreamdeck/adapters`: storage, model and image backends for Dreamdeck. Each backend lives on
 * its own subpath (`@dreamdeck/adapters/sqlite`, `/postgres`, `/openai`, `/ollama`, `/a1111`) so its
 * driver loads only when used.
 */
export const ADAPTERS_VERSION = '0.1.0';
