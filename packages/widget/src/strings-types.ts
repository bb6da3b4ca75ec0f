// The shapes of the widgets' strings, in a module with no imports of its own, so a locale module
// (`strings-de.ts`) can name them without importing `strings.ts`, which loads it on demand.

/**
 * Every string the widgets show. Replace any of them through the element's `strings` property
 * (a partial object is merged over the locale's strings), or add a locale to `locales` (`strings.ts`).
 */
export interface DreamdeckStrings {
  /** Accessible name of the message log (English: "Story"). */
  title: string;
  /** Accessible name of the message input. */
  inputLabel: string;
  /** The skip link before the story: jumps to the input. */
  skipToInput: string;
  /** Placeholder of the empty message input. */
  inputPlaceholder: string;
  /** The send button's label. */
  send: string;
  /** The stop button's label, shown while a turn runs. */
  stop: string;
  /** The error banner's Retry button. */
  retry: string;
  /** The error banner's close button. */
  dismiss: string;
  /** Label of a GM reply's regenerate button. */
  regenerate: string;
  /** Label of a GM reply's copy button. */
  copy: string;
  /** The copy button's label just after copying. */
  copied: string;
  /** Label of a GM reply's thumbs-up button. */
  thumbsUp: string;
  /** Label of a GM reply's thumbs-down button. */
  thumbsDown: string;
  /** Shown once a feedback comment was sent. */
  feedbackThanks: string;
  /** Label and placeholder of the feedback comment field. */
  commentLabel: string;
  /** The button that sends a feedback comment. */
  commentSend: string;
  /** The thread-list button and the list's accessible name (English: "Stories"). */
  threads: string;
  /** The button that starts a new story. */
  newThread: string;
  /** Shown for a story without a title. */
  untitled: string;
  /** Label of a story's rename button, before its title. */
  rename: string;
  /** Label of a story's delete button, before its title, and of the button that confirms. */
  delete: string;
  /** The title field while renaming a story. */
  threadTitle: string;
  /** Confirms a rename. */
  save: string;
  /** Cancels a rename or a delete. */
  cancel: string;
  /** The question before deleting a story; `{title}` is its title. */
  deleteConfirm: string;
  /** The settings button and panel's accessible name. */
  settings: string;
  /** Closes the enlarged image. */
  close: string;
  /** Label of the persona picker in settings (English: "Game master"). */
  persona: string;
  /** Heading of the feature switches in settings. */
  flags: string;
  /** Label of the storyboards setting: when the GM offers to paint scenes. */
  storyboards: string;
  /** The storyboards setting's choice: after every reply. */
  storyboardsEveryReply: string;
  /** The storyboards setting's choice: only on `/storyboard`. */
  storyboardsOnCommand: string;
  /** The storyboards setting's choice: never asked. */
  storyboardsNever: string;
  /** Opens the scene prompts under the compact "Paint these scenes?" question. */
  showScenes: string;
  /** Shown while a story loads. */
  loading: string;
  /** The button that shows older messages. */
  loadOlder: string;
  /** Status text from sending until the first message or status of the turn. */
  thinking: string;
  /** Author label of the player's messages. */
  you: string;
  /** Author label of messages not from the player that name no persona (engine replies too). */
  gm: string;
  /** Approves a storyboard (paint it). */
  approve: string;
  /** Skips a storyboard (paint nothing). */
  skip: string;
  /** Label of a storyboard image's button that enlarges it. */
  enlarge: string;
  /** Note under a reply the player stopped. */
  stopped: string;
  /** Note under a reply that failed without an error of its own. */
  failed: string;
  /** Connection state: connected. */
  online: string;
  /** Connection state: requests are being retried. */
  reconnecting: string;
  /** Connection state, and the error shown, when the server cannot be reached. */
  offline: string;
  /** Error text when the server gave no message. */
  errorGeneric: string;
  /** Error text for `RATE_LIMITED`; `{seconds}` is the wait. */
  errorRateLimited: string;
  /** Accessible name of the slash-command hints. */
  slashHints: string;
  /** Shows the previous version of a regenerated reply. */
  previousVersion: string;
  /** Shows the next version of a regenerated reply. */
  nextVersion: string;
  /** The latest reply's Continue button: the GM writes on in place. */
  continueReply: string;
  /** A message's More button, which opens its story tools (edit, rewind, branch). */
  messageTools: string;
  /** Saves an edited player message and has the GM answer it again. */
  editResend: string;
  /** Rewinds the story back to and including a message. */
  rewindHere: string;
  /** The question before a rewind. */
  rewindConfirm: string;
  /** Starts a new story from the story up to a message. */
  branchHere: string;
  /** Under a branched story's title in the list; `{title}` is the story it came from. */
  branchOf: string;
  /** The story list's button that imports a story file (export JSON or a SillyTavern chat). */
  importStory: string;
  /** Downloads the open story as markdown. */
  downloadMarkdown: string;
  /** Downloads the open story as JSON (which Import reads back). */
  downloadJson: string;
  /** Word before a roll's total in its accessible label (English: "total"). */
  diceTotal: string;
  /** Marks a dropped die in a roll's accessible label. */
  dropped: string;
  /** The chapter break `/reset` leaves (English: "New chapter"). */
  chapterBreak: string;
  /** Accessible name of the GM's choice buttons. */
  choices: string;
  /** The Memory button and panel's accessible name (what the GM remembers). */
  memory: string;
  /** The World button and panel's accessible name (lore, author's note, imports, documents). */
  world: string;
  /** The mark on a message a remembered fact came from. */
  remembered: string;
  /** Accessible name of a web search's list of result links. */
  searchResults: string;
  /** Label of the knowledge-base passages a GM reply cites (open one to read it). */
  sources: string;
  /** Shown for a cited passage that no longer exists (its document was removed). */
  passageGone: string;
  /** The link to the player guide (`manual-url`) in the slash-command hints. */
  manual: string;
  /** Deletes a memory for good. */
  forget: string;
  /** Edits a memory. */
  edit: string;
  /** Adds the fact in the Memory panel's input. */
  remember: string;
  /** Label of the Memory panel's input for a new fact. */
  rememberLabel: string;
  /** Heading of the story's rolling summary in the Memory panel. */
  storySoFar: string;
  /** Shown in the Memory panel when nothing is remembered. */
  nothingRemembered: string;
  /** Marks a memory that applies in every story of the player. */
  everyStory: string;
  /** Slash-command hints by command (`/roll` → what it does); only listed commands are hinted (and only while their feature is on). */
  commands: Record<string, string>;
  /** Display names of feature flags by flag name; unlisted flags show their name. */
  flagNames: Record<string, string>;
  /**
   * `<dreamdeck-admin>`'s strings, over the English ones in `enAdmin` (`strings-admin.ts`, which
   * only the admin view imports, so the chat file does not carry them).
   */
  admin?: Partial<DreamdeckAdminStrings>;
  /** The survey card's strings, over the English ones in `enSurvey` (`dreamdeck-survey.ts`, loaded with the card). */
  survey?: Partial<DreamdeckSurveyStrings>;
}

/** The strings of the survey card, `<dreamdeck-survey>` (English: `enSurvey`). */
export interface DreamdeckSurveyStrings {
  /** The button that sends the answers. */
  send: string;
  /** The button that skips the survey. */
  skip: string;
  /** A rating's tooltip; `{n}` is the rating. */
  rating: string;
  /** Shown when Send is pressed with nothing answered. */
  optional: string;
}

/** The strings only `<dreamdeck-admin>` shows (English: `enAdmin`). */
export interface DreamdeckAdminStrings {
  /** The admin view's heading. */
  title: string;
  /** Heading of the global flag switches. */
  flags: string;
  /** Heading of the usage table. */
  usage: string;
  /** Heading of the feedback charts, and their title before the persona. */
  feedback: string;
  /** Heading of the recent feedback comments. */
  recentComments: string;
  /** Usage table column: the user. */
  user: string;
  /** Usage table column: the UTC day. */
  day: string;
  /** Usage table column: turns played. */
  turns: string;
  /** Usage table column: images painted. */
  images: string;
  /** Usage table column: requests refused by a rate limit. */
  rateLimited: string;
  /** Thumbs up (chart series, legend and comment label). */
  up: string;
  /** Thumbs down (chart series, legend and comment label). */
  down: string;
  /** Shown for a table or chart with nothing in it. */
  noData: string;
  /** The button that loads the figures again. */
  refresh: string;
  /** Shown when the token lacks the admin role. */
  forbidden: string;
  /** Heading of the survey results. */
  surveys: string;
  /** Survey results: responses stored. */
  responses: string;
  /** Survey results: responses that answered. */
  answered: string;
  /** Survey results: responses that skipped. */
  skipped: string;
  /** Survey results: a rating question's mean. */
  mean: string;
  /** Survey results: the rating chart's series (answers per rating). */
  answers: string;
  /** Survey results: the button that loads more text answers. */
  more: string;
  /** Heading of the prompt experiments. */
  variants: string;
  /** Experiment table column: the variant. */
  variant: string;
  /** Experiment table column: the share of thumbs up. */
  upShare: string;
  /** Experiment table column: the 95% interval of that share. */
  interval: string;
  /** The button that makes a variant the default. */
  promote: string;
  /** Marks the promoted variant. */
  promoted: string;
}
