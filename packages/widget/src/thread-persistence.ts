import type { ReactiveControllerHost } from 'lit';
import { listenToWindow } from './events.js';

/** Where `<dreamdeck-chat>` keeps the open thread id between visits. */
export type PersistMode = 'local' | 'hash' | 'none';

/** What {@link ThreadPersistence} reads from its element. */
export interface PersistenceHost extends ReactiveControllerHost {
  /** Where to keep the id. */
  persist: PersistMode;
  /** The API base URL: `localStorage` keeps one thread per endpoint. */
  endpoint: string;
}

/**
 * Keeps the open thread's id between visits: in `localStorage` under `dreamdeck:thread:<endpoint>`
 * (`persist="local"`), in the URL hash as `#dreamdeck-thread=<id>` (`"hash"`, shareable; a
 * `hashchange` to another id is passed on), or nowhere (`"none"`). Blocked storage (private mode,
 * a sandboxed iframe) reads as empty and is never written.
 */
export class ThreadPersistence {
  readonly #host: PersistenceHost;

  /**
   * @param host - the element, whose `persist` and `endpoint` are read on every call
   * @param onHashChange - called with the id in the hash when it changes (`persist="hash"` only)
   */
  constructor(host: PersistenceHost, onHashChange: (threadId: string) => void) {
    this.#host = host;
    listenToWindow(host, {
      hashchange: () => {
        const id = host.persist === 'hash' && this.readPersisted();
        if (id) onHashChange(id);
      },
    });
  }

  get #key(): string {
    return `dreamdeck:thread:${this.#host.endpoint}`;
  }

  /** The kept thread id, or `''`. */
  readPersisted(): string {
    try {
      const mode = this.#host.persist;
      if (mode === 'hash') return new URLSearchParams(location.hash.slice(1)).get('dreamdeck-thread') ?? '';
      if (mode === 'local') return localStorage.getItem(this.#key) ?? '';
    } catch {
      // storage blocked (private mode, sandboxed iframe)
    }
    return '';
  }

  /**
   * Keeps `threadId` (the hash is replaced, not pushed: opening a story adds no history entry).
   *
   * @param threadId - the open thread's id
   */
  writePersisted(threadId: string): void {
    try {
      const mode = this.#host.persist;
      if (mode === 'hash') {
        const params = new URLSearchParams(location.hash.slice(1));
        params.set('dreamdeck-thread', threadId);
        history.replaceState(history.state, '', `#${params.toString()}`);
      } else if (mode === 'local') {
        localStorage.setItem(this.#key, threadId);
      }
    } catch {
      // storage blocked
    }
  }

  /** Forgets the kept id (`local` only: a hash is the page's to change). */
  clearPersisted(): void {
    try {
      if (this.#host.persist === 'local') localStorage.removeItem(this.#key);
    } catch {
      // storage blocked
    }
  }
}
