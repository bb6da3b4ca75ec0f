/** Entry of `dist/dreamdeck-admin.js` (script-tag build): registers `<dreamdeck-admin>`. */
export { DreamdeckAdmin } from './dreamdeck-admin.js';
