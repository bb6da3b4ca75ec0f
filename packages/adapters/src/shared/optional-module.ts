import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '@dreamdeck/core';
import { DreamdeckError } from '@dreamdeck/core/adapter-kit';

/** A `require`; injectable so tests can simulate a missing driver. */
export type RequireFunction = (id: string) => unknown;

const nodeRequire = createRequire(
  // import.meta.url in ESM; esbuild leaves import.meta empty in the CJS build, where __filename exists.
  import.meta.url ?? __filename,
);
// `import.meta.resolve` exists in the ESM build only (Node >= 20.6).
const resolveAsImport: ((id: string) => string) | undefined =
  typeof import.meta.resolve === 'function' ? import.meta.resolve : undefined;

/**
 * `require`s a module, but from the ESM build it loads the file an `import` would (where Node can
 * `require` an ES module: 20.19 and later). A plain `require` of a dual package such as
 * `@langchain/langgraph-checkpoint-sqlite` loads its CommonJS build, and with it a second copy of
 * `@langchain/core` beside the ES one the app already uses: about 9 MB more heap per process, and
 * classes from one copy fail `instanceof` against the other.
 */
export const requireFromHere: RequireFunction = (id) => {
  let url: string | undefined;
  try {
    url = resolveAsImport?.(id);
  } catch {
    // not resolvable as an import: the plain require below reports it
  }
  if (url?.startsWith('file:')) {
    try {
      return nodeRequire(fileURLToPath(url));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // an older Node that cannot require ES modules, or a module with top-level await
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    }
  }
  return nodeRequire(id);
};

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
