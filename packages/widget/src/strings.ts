import type { DreamdeckAdminStrings, DreamdeckStrings, DreamdeckSurveyStrings } from './strings-types.js';

export type { DreamdeckAdminStrings, DreamdeckStrings, DreamdeckSurveyStrings };

/** English. */
export const en: DreamdeckStrings = {
  title: 'Story',
  inputLabel: 'Your move',
  skipToInput: 'Skip to your move',
  inputPlaceholder: 'What do you do? (Type / for commands)',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  dismiss: 'Dismiss',
  regenerate: 'Regenerate reply',
  copy: 'Copy',
  copied: 'Copied',
  thumbsUp: 'Good reply',
  thumbsDown: 'Bad reply',
  feedbackThanks: 'Thanks for the feedback',
  commentLabel: 'Add a comment (optional)',
  commentSend: 'Send comment',
  threads: 'Stories',
  newThread: 'New story',
  untitled: 'Untitled story',
  rename: 'Rename',
  delete: 'Delete',
  threadTitle: 'Story title',
  save: 'Save',
  cancel: 'Cancel',
  deleteConfirm: 'Delete “{title}” for good?',
  settings: 'Settings',
  close: 'Close',
  persona: 'Game master',
  flags: 'Features',
  storyboards: 'Offer to paint scenes',
  storyboardsEveryReply: 'After every reply',
  storyboardsOnCommand: 'Only on /storyboard',
  storyboardsNever: 'Never ask',
  showScenes: 'Scenes',
  loading: 'Loading…',
  loadOlder: 'Show older messages',
  thinking: 'The game master is thinking…',
  you: 'You',
  gm: 'Game master',
  approve: 'Approve',
  skip: 'Skip',
  enlarge: 'Enlarge image',
  stopped: 'Stopped',
  failed: 'Failed',
  online: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  errorGeneric: 'Something went wrong.',
  errorRateLimited: 'Too many requests. Try again in {seconds} s.',
  slashHints: 'Commands',
  previousVersion: 'Previous version',
  nextVersion: 'Next version',
  continueReply: 'Continue reply',
  messageTools: 'More actions',
  editResend: 'Save and resend',
  rewindHere: 'Rewind to here',
  rewindConfirm: 'Take this message and everything after it out of the story?',
  branchHere: 'Branch from here',
  branchOf: 'Branch of {title}',
  importStory: 'Import a story',
  downloadMarkdown: 'Download (Markdown)',
  downloadJson: 'Download (JSON)',
  diceTotal: 'total',
  dropped: 'dropped',
  chapterBreak: 'New chapter',
  choices: 'Choices',
  memory: 'Memory',
  world: 'World',
  remembered: 'Remembered',
  searchResults: 'Web results',
  sources: 'Sources',
  passageGone: 'This passage is no longer in the knowledge base.',
  manual: 'Player guide',
  forget: 'Forget',
  edit: 'Edit',
  remember: 'Remember',
  rememberLabel: 'Something the game master should remember',
  storySoFar: 'The story so far',
  nothingRemembered: 'The game master remembers nothing in particular yet.',
  everyStory: 'every story',
  commands: {
    '/roll': 'Roll dice, e.g. /roll 4d6kh3',
    '/search': 'Search the web',
    '/todo': 'Note a quest or task',
    '/report': "Today's report",
    '/write': 'Write a passage together',
    '/storyboard': 'Paint the current scene',
    '/persona': 'Switch the game master',
    '/help': 'Show help',
    '/reset': 'Start a new chapter',
    '/save': 'How to download the story',
    '/remember': 'Ask the GM to remember a fact',
    '/forget': 'Make the GM forget a fact',
    '/memory': 'Show what the GM remembers',
  },
  flagNames: {
    imageGeneration: 'Images',
    webSearch: 'Web search',
    diceRolling: 'Dice',
    knowledge: 'Knowledge base',
    storyboardReview: 'Review storyboards before painting',
  },
};

/**
 * Locales ready to use, by language tag. English is built in; German is added by the npm entry, or
 * loaded on demand by {@link loadLocale} in the script-tag build. Add your own before the element
 * renders (`locales.fr = { ...en, send: 'Envoyer' }`).
 */
export const locales: Record<string, DreamdeckStrings> = { en };

/** Shipped locales that live in a module of their own, loaded on first use. */
const lazyLocales: Record<string, () => Promise<{ default: DreamdeckStrings }>> = {
  de: () => import('./strings-de.js'),
};
const loading = new Map<string, Promise<boolean>>();

/** The language part of a tag that {@link resolveStrings} would use: `de-AT` → `de`. */
function languageOf(locale: string | undefined): string {
  const tag = (locale ?? '').toLowerCase();
  return locales[tag] ? tag : (tag.split('-')[0] ?? '');
}

/**
 * Makes a shipped locale ready: resolves `true` once it was loaded just now (render again),
 * `false` when it was already there, is not shipped, or could not be loaded (English stays).
 * In the script-tag build German is the file `dreamdeck-locale-de.js` next to `dreamdeck-chat.js`.
 *
 * @param locale - a BCP 47 language tag, for example `de-AT`
 */
export function loadLocale(locale: string | undefined): Promise<boolean> {
  const language = languageOf(locale);
  const load = lazyLocales[language];
  if (!load || locales[language]) return Promise.resolve(false);
  let pending = loading.get(language);
  if (!pending) {
    pending = load().then(
      (module) => {
        locales[language] ??= module.default;
        return true;
      },
      () => {
        loading.delete(language);
        return false;
      },
    );
    loading.set(language, pending);
  }
  return pending;
}

/** A partial override of {@link DreamdeckStrings}; nested objects are merged too. */
export type DreamdeckStringsOverride = Partial<
  Omit<DreamdeckStrings, 'commands' | 'flagNames' | 'admin' | 'survey'>
> & {
  /** Slash-command hints to add or replace, merged over the locale's. */
  commands?: Record<string, string>;
  /** Flag display names to add or replace, merged over the locale's. */
  flagNames?: Record<string, string>;
  /** `<dreamdeck-admin>` strings, merged over the locale's. */
  admin?: Partial<DreamdeckAdminStrings>;
  /** Survey card strings, merged over the locale's. */
  survey?: Partial<DreamdeckSurveyStrings>;
};

/**
 * Picks the strings for a locale (`de-AT` falls back to `de`, unknown ones to English) and merges
 * overrides over them.
 *
 * @param locale - a BCP 47 language tag, for example `de` or `en-GB`
 * @param overrides - strings to replace
 */
export function resolveStrings(locale: string | undefined, overrides?: DreamdeckStringsOverride): DreamdeckStrings {
  const base = locales[languageOf(locale)] ?? en;
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    commands: { ...base.commands, ...overrides.commands },
    flagNames: { ...base.flagNames, ...overrides.flagNames },
    admin: { ...base.admin, ...overrides.admin },
    survey: { ...base.survey, ...overrides.survey },
  };
}

/**
 * Fills `{name}` placeholders in a string.
 *
 * @param template - a string such as `Try again in {seconds} s.`
 * @param values - the values to insert
 */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
