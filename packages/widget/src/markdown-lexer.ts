/**
 * marked's lexer, on its own so it can load apart from the chat: the script-tag build makes this
 * `dreamdeck-markdown.js` (about 10 KB gzipped, fetched at start-up beside the API requests), which
 * keeps the main `<dreamdeck-chat>` file within its size budget. See `loadMarkdown` in `markdown.ts`.
 */
export { Lexer } from 'marked';
