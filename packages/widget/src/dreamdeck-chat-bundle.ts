/** Entry of `dist/dreamdeck-chat.js` (script-tag build): registers `<dreamdeck-chat>` and its parts. */
export { DreamdeckChat } from './dreamdeck-chat.js';
