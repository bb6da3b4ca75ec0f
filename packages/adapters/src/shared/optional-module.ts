import { createRequire } from 'node:module';
import { DreamdeckError, type ErrorCode } from '@dreamdeck/core';

/** A `require`; injectable so tests can simulate a missing driver. */
export type RequireFunction = (id: string) => unknown;

const requireFromHere: RequireFunction = createRequire(
  // import.meta.url in ESM; esbuild leaves import.meta empty in the CJS build, where __filename exists.
  import.meta.url ?? __filename,
);

/** How {@link requireOptional} reports a driver that is missing or fails to load. */
export interface OptionalModuleOptions {
  /** Adapter name for the message prefix, for example `sqlite`. */
  adapter: string;
  /** Error code: `STORAGE_ERROR` for storage drivers, `CONFIG_INVALID` for model drivers. */
  code: ErrorCode;
  /** The message when the module is not installed (after the `[dreamdeck] [adapter]` prefix). */
  missing: string;
  require?: RequireFunction;
}

/**
 * Loads an optional peer dependency on first use, so importing an adapter subpath never needs it.
 * A missing module throws a non-retryable DreamdeckError saying what to install; any other load
 * failure says what went wrong.
 */
export function requireOptional<T>(name: string, options: OptionalModuleOptions): T {
  try {
    return (options.require ?? requireFromHere)(name) as T;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    const detail = missing ? options.missing : `could not load ${name}: ${(error as Error).message}`;
    throw new DreamdeckError(options.code, `[dreamdeck] [${options.adapter}] ${detail}`, {
      cause: error,
      retryable: false,
    });
  }
}

/** Defines a subclass of a lazily loaded base class once per base class. */
export function oncePerBase<B extends object, S>(define: (base: B) => S): (base: B) => S {
  const defined = new WeakMap<B, S>();
  return (base) => {
    let subclass = defined.get(base);
    if (subclass === undefined) {
      subclass = define(base);
      defined.set(base, subclass);
    }
    return subclass;
  };
}
