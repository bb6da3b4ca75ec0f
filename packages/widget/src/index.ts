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
  type TurnStreamOptions,
} from './api-client.js';
export { type BarChartOptions, type BarGroup, barChart } from './bar-chart.js';
export type { CitationPart, CiteDetail } from './citations.js';
export { DreamdeckAdmin } from './dreamdeck-admin.js';
export {
  type ConnectionState,
  DreamdeckChat,
  type DreamdeckErrorDetail,
  type PersistMode,
} from './dreamdeck-chat.js';
export { DreamdeckDice } from './dreamdeck-dice.js';
export type {
  DreamdeckKnowledgeDocs,
  KnowledgeDocsStrings,
  KnowledgeDocumentInfo,
} from './dreamdeck-knowledge-docs.js';
export type { DreamdeckMemoryPanel } from './dreamdeck-memory.js';
export { DreamdeckMessage, type FeedbackDetail } from './dreamdeck-message.js';
export { DreamdeckSettings } from './dreamdeck-settings.js';
export type { DreamdeckMessageTools, StoryControlDetail } from './dreamdeck-story-tools.js';
export type { DreamdeckSurvey, SurveyCardAnswers, SurveyQuestions } from './dreamdeck-survey.js';
export { DreamdeckThreadList, type ThreadDetail, type ThreadRenameDetail } from './dreamdeck-thread-list.js';
export type { DreamdeckWorld, WorldLoreEntry, WorldTab } from './dreamdeck-world.js';
export { decodeEntities, type MarkdownTemplate, renderMarkdown, safeHref } from './markdown.js';
export type { PreferenceChange, StoryboardsChoice } from './preferences-controller.js';
export type {
  DiceRoll,
  FeedbackAnswer,
  FlagsAnswer,
  InterruptAnswer,
  InterruptEvent,
  LoadedMessage,
  MessageAlternative,
  MessagePart,
  OwnFeedback,
  PersonaInfo,
  StoryImage,
  StoryMessage,
  ThreadAnswer,
  ThreadRecord,
  TurnEvent,
  UsageAnswer,
} from './protocol.js';
export { applyTurnEvent, feedbackOf, regenerableId, settleStreaming } from './story-state.js';
export {
  type DreamdeckAdminStrings,
  type DreamdeckStrings,
  type DreamdeckStringsOverride,
  type DreamdeckSurveyStrings,
  en,
  format,
  loadLocale,
  locales,
  resolveStrings,
} from './strings.js';
export { enAdmin } from './strings-admin.js';
export { de } from './strings-de.js';
export type { WorldStrings } from './world-strings.js';

import { locales } from './strings.js';
import { de } from './strings-de.js';

// the npm entry has German up front (the script-tag build loads it on demand)
locales.de ??= de;
