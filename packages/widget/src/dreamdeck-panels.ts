/**
 * The chat's side panels that a player opens now and then, in their own file: the story list
 * (`<dreamdeck-thread-list>`) and the settings (`<dreamdeck-settings>`). `<dreamdeck-chat>` imports
 * this module the first time either panel opens, so the main bundle stays small (the script-tag
 * build serves it as `dreamdeck-panels.js` beside `dreamdeck-chat.js`; the npm entry has both
 * elements up front).
 */
export { DreamdeckSettings } from './dreamdeck-settings.js';
export { DreamdeckThreadList } from './dreamdeck-thread-list.js';
