import type { ReactiveControllerHost } from 'lit';

/**
 * Dispatches a `CustomEvent` that bubbles out of shadow roots (`bubbles`, `composed`), as every
 * event of the widgets does.
 *
 * @param target - the element that fires it
 * @param type - the event name, for example `dreamdeck-message`
 * @param detail - the event's `detail`
 */
export function emit(target: EventTarget, type: string, detail: unknown): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/**
 * An API path from segments, each URL-encoded: `apiPath('threads', id, 'turns')` is
 * `/threads/<id>/turns`.
 *
 * @param segments - path segments, ids included
 */
export function apiPath(...segments: string[]): string {
  return segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');
}

/**
 * Listens to `window` events while `host` is connected (a tiny Lit `ReactiveController`): added
 * on `hostConnected`, removed on `hostDisconnected`.
 *
 * @param host - the element whose connection bounds the listening
 * @param listeners - a listener per event type, for example `{ online, offline }`
 */
export function listenToWindow(host: ReactiveControllerHost, listeners: Record<string, EventListener>): void {
  const each = (method: 'addEventListener' | 'removeEventListener') => () => {
    for (const type in listeners) window[method](type, listeners[type]!);
  };
  host.addController({ hostConnected: each('addEventListener'), hostDisconnected: each('removeEventListener') });
}
