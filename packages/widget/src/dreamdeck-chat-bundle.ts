/**
 * Entry of `dist/dreamdeck-chat.js` (script-tag build): registers `<dreamdeck-chat>` and the
 * elements it is made of, and exports their classes. (Exported rather than imported for their side
 * effect alone: a bare import of a module the package's `sideEffects` does not list is dropped.)
 */
export { DreamdeckChat } from './dreamdeck-chat.js';
export { DreamdeckMessage } from './dreamdeck-message.js';
export { DreamdeckSettings } from './dreamdeck-settings.js';
export { DreamdeckThreadList } from './dreamdeck-thread-list.js';
