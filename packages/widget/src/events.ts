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
