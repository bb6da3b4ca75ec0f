// The shapes of the widgets' strings, in a module with no imports of its own, so a locale module
// (`strings-de.ts`) can name them without importing `strings.ts`, which loads it on demand.

/**
 * Every string the widgets show. Replace any of them through the element's `strings` property
 * (a partial object is merged over the locale's strings), or add a locale to `locales` (`strings.ts`).
 */
export interface DreamdeckStrings {
  title: string;
  inputLabel: string;
  inputPlaceholder: string;
  send: string;
  stop: string;
  retry: string;
  dismiss: string;
  regenerate: string;
  copy: string;
  copied: string;
  thumbsUp: string;
  thumbsDown: string;
  feedbackThanks: string;
  commentLabel: string;
  commentSend: string;
  threads: string;
  newThread: string;
  untitled: string;
  /** Label of a story's rename button, before its title. */
  rename: string;
  /** Label of a story's delete button, before its title, and of the button that confirms. */
  delete: string;
  /** The title field while renaming a story. */
  threadTitle: string;
  save: string;
  cancel: string;
  /** The question before deleting a story; `{title}` is its title. */
  deleteConfirm: string;
  settings: string;
  close: string;
  persona: string;
  flags: string;
  loading: string;
  loadOlder: string;
  thinking: string;
  you: string;
  gm: string;
  approve: string;
  skip: string;
  enlarge: string;
  stopped: string;
  failed: string;
  online: string;
  reconnecting: string;
  offline: string;
  errorGeneric: string;
  errorRateLimited: string;
  slashHints: string;
  previousVersion: string;
  nextVersion: string;
  diceTotal: string;
  dropped: string;
  chapterBreak: string;
  choices: string;
  commands: Record<string, string>;
  flagNames: Record<string, string>;
  /**
   * `<dreamdeck-admin>`'s strings, over the English ones in `enAdmin` (`strings-admin.ts`, which
   * only the admin view imports, so the chat file does not carry them).
   */
  admin?: Partial<DreamdeckAdminStrings>;
}

/** The strings only `<dreamdeck-admin>` shows (English: `enAdmin`). */
export interface DreamdeckAdminStrings {
  title: string;
  flags: string;
  usage: string;
  feedback: string;
  recentComments: string;
  user: string;
  day: string;
  turns: string;
  images: string;
  rateLimited: string;
  up: string;
  down: string;
  noData: string;
  refresh: string;
  forbidden: string;
}
