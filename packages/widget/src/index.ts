/**
 * `@dreamdeck/widget`: `<dreamdeck-chat>` and `<dreamdeck-admin>`. Importing this module registers
 * the elements (a side effect), so `import '@dreamdeck/widget'` is enough to use them.
 */
export {
  backoffMs,
  DreamdeckApiError,
  DreamdeckClient,
  type DreamdeckClientOptions,
  readTurnEvents,
} from './api-client.js';
export { type BarChartOptions, type BarGroup, barChart } from './bar-chart.js';
export { DreamdeckAdmin } from './dreamdeck-admin.js';
export {
  type ConnectionState,
  DreamdeckChat,
  type DreamdeckErrorDetail,
  type PersistMode,
} from './dreamdeck-chat.js';
export { DreamdeckDice } from './dreamdeck-dice.js';
export { DreamdeckMessage, type FeedbackDetail } from './dreamdeck-message.js';
export { decodeEntities, type MarkdownTemplate, renderMarkdown, safeHref } from './markdown.js';
export type {
  DiceRoll,
  FeedbackAnswer,
  FlagsAnswer,
  InterruptEvent,
  MessageAlternative,
  MessagePart,
  PersonaInfo,
  StoryImage,
  StoryMessage,
  ThreadRecord,
  TurnEvent,
  UsageAnswer,
} from './protocol.js';
export { applyTurnEvent, regenerableId, settleStreaming } from './story-state.js';
export {
  type DreamdeckStrings,
  type DreamdeckStringsOverride,
  de,
  en,
  format,
  locales,
  resolveStrings,
} from './strings.js';
