import { z } from 'zod';

/** One arm of a prompt experiment: a persona prompt under an id. */
export const promptVariantSchema = z.strictObject({
  /** Its id (lowercase words with dashes, at most 40 characters), recorded on the GM messages it writes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'variant ids are lowercase words with dashes'),
  /** The system prompt in place of the persona's `prompt` (`{{name}}` and `{{tools}}` are filled in). */
  prompt: z.string().min(1).max(20_000),
});

/** One survey question. */
export const surveyQuestionSchema = z
  .strictObject({
    /** Its id within the survey (lowercase words with dashes); answers are keyed by it. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'question ids are lowercase words with dashes'),
    /** `rating`: a whole number from 1 to 5; `choice`: one of `options`; `text`: up to 2,000 characters. */
    kind: z.enum(['rating', 'choice', 'text']),
    /** The question as the player reads it. */
    prompt: z.string().min(1).max(500),
    /** For `choice` (required there, 2 to 10 distinct answers); not allowed for the other kinds. */
    options: z.array(z.string().min(1).max(200)).min(2).max(10).optional(),
  })
  .superRefine((question, context) => {
    if (question.kind === 'choice' && !question.options)
      context.addIssue({ code: 'custom', message: 'a choice question needs options', path: ['options'] });
    if (question.kind !== 'choice' && question.options)
      context.addIssue({ code: 'custom', message: `a ${question.kind} question takes no options`, path: ['options'] });
    if (question.options && new Set(question.options).size !== question.options.length)
      context.addIssue({ code: 'custom', message: 'options must be distinct', path: ['options'] });
  });

/** A persona: a voice and prompt for the game master. */
export const personaSchema = z.strictObject({
  /** Display name. */
  name: z.string().min(1).max(80),
  /** One-line description for pickers. */
  description: z.string().max(300).default(''),
  /** An emoji or short icon text. */
  icon: z.string().max(16).default('🎭'),
  /** The system prompt. `{{name}}` (the persona's name) and `{{tools}}` (what the GM may use) are filled in. */
  prompt: z.string().min(1).max(20_000),
  /**
   * Prompt variants for an experiment (see docs/prompt-experiments.md): each thread is assigned
   * one by a hash of its id, and its GM messages record which. Absent: `prompt` is used.
   */
  variants: z
    .array(promptVariantSchema)
    .min(1)
    .max(10)
    .refine((variants) => new Set(variants.map((v) => v.id)).size === variants.length, 'variant ids must be unique')
    .optional(),
});

/** Questions and the turn after which a survey is asked (see docs/surveys.md). */
export const surveySchema = z
  .strictObject({
    /** Its id (lowercase words with dashes, at most 40 characters); answers are stored under it. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'survey ids are lowercase words with dashes'),
    /** The heading the player sees (default: "A quick question"). */
    title: z.string().min(1).max(200).default('A quick question'),
    /** Asked at the end of the player's `turns`th turn (counted per user, across their stories). */
    after: z.strictObject({
      /** The player's turn count (1 to 1,000,000) at whose end the survey is asked. */
      turns: z.number().int().min(1).max(1_000_000),
    }),
    /** At most 10 questions, each answered by a rating (1 to 5), a choice of `options`, or text. */
    questions: z.array(surveyQuestionSchema).min(1).max(10),
  })
  .refine((survey) => new Set(survey.questions.map((q) => q.id)).size === survey.questions.length, {
    message: 'question ids must be unique within a survey',
    path: ['questions'],
  });

const featuresSchema = z.strictObject({
  /** Paint storyboard images of scenes (default `true`). */
  imageGeneration: z.boolean().default(true),
  /** Web search for `/search` and the GM (default `false`); needs a `SearchAdapter` (`createDreamdeck({ search })`). */
  webSearch: z.boolean().default(false),
  /** Roll dice for `/roll` and for notation in the story, such as "I attack, 1d20+3" (default `true`). */
  diceRolling: z.boolean().default(true),
  /** Look up the knowledge base for questions about the world (default `true`). */
  knowledge: z.boolean().default(true),
  /** Ask the player to approve a storyboard before its images are painted (default `true`). */
  storyboardReview: z.boolean().default(true),
});

const limitsSchema = z.strictObject({
  /** Turns each user may start per minute (default 20); a resume does not count. */
  turnsPerMinute: z.number().int().min(1).max(10_000_000).default(20),
  /** Images each user may have painted per minute (default 5). */
  imagesPerMinute: z.number().int().min(1).max(10_000_000).default(5),
  /** HTTP API requests each user may make per hour; turn streams count as turns instead (default 60). */
  apiCallsPerHour: z.number().int().min(1).max(10_000_000).default(60),
  /** Images painted at once by this process, across all users (default 2, at most 64). */
  imageConcurrency: z.number().int().min(1).max(64).default(2),
  /** Guest sign-ups (`POST /auth/guest`) per hour across all clients, shared by every instance on the same storage (default 1000). */
  guestsPerHour: z.number().int().min(1).max(10_000_000).default(1000),
  /**
   * Guest sign-ups per hour from one client address (default 60). The address is the socket's
   * peer as `toNodeListener` sees it, or what the handler's `clientAddress` option reads (behind a
   * proxy, give that: otherwise every guest shares the proxy's address).
   */
  guestsPerHourPerClient: z.number().int().min(1).max(10_000_000).default(60),
});

const auditSchema = z.strictObject({
  /** Days an audit event is kept; older ones are pruned as new ones are written (default 30). */
  retentionDays: z.number().int().min(1).max(36_500).default(30),
  /**
   * Refusals (invalid input, forbidden, rate limited) recorded per user per hour (default 60); more
   * are counted in metrics but not written, so refused requests cannot grow the log without limit.
   * Requests without valid credentials are never written (the `dreamdeck_auth_failures_total` metric counts them).
   */
  refusalsPerUserPerHour: z.number().int().min(0).max(10_000_000).default(60),
});

const memorySchema = z.strictObject({
  /**
   * Token budget of the recent window sent to the model (default 3000). When the window passes it,
   * its oldest messages are folded into the rolling summary (see docs/memory.md).
   */
  windowTokens: z.number().int().min(200).max(1_000_000).default(3000),
  /** Most messages in the window; past it, the oldest are folded into the summary too (default 40). */
  windowMessages: z.number().int().min(2).max(1000).default(40),
  /**
   * The share of `windowTokens` and `windowMessages` a fold keeps (default 0.8): the window folds
   * down to it, then grows for a few turns with its start, and the prompt's cacheable prefix,
   * unchanged. Lower folds less often (more turns reuse the previous prompt's prefix, fewer summary
   * calls) at the price of prompts whose size swings more and a window that holds less on average.
   */
  foldTo: z.number().min(0.1).max(0.95).default(0.8),
  /** Token budget of the rolling summary (default 600; `0` keeps no summary: window only). */
  summaryTokens: z.number().int().min(0).max(100_000).default(600),
  /** Extract facts worth remembering after narration, with the model's structured output (default `true`). */
  extract: z.boolean().default(true),
  /** Most long-term memories recalled into a turn's prompt (default 8). */
  recallLimit: z.number().int().min(0).max(100).default(8),
  /** Token budget of the recalled memories in a prompt (default 400). */
  recallTokens: z.number().int().min(0).max(100_000).default(400),
  /** Most memories kept per user; past it, the oldest extracted ones are dropped (default 1000). */
  maxRecords: z.number().int().min(1).max(100_000).default(1000),
});

const loreSchema = z.strictObject({
  /** How many of the newest messages (the player's new one included) are scanned for lore keys (default 4; `0`: only constant entries). */
  scanDepth: z.number().int().min(0).max(100).default(4),
  /** Token budget of the lore entries in a prompt, filled by priority (default 800). */
  budgetTokens: z.number().int().min(0).max(100_000).default(800),
});

const inputSchema = z.strictObject({
  /**
   * The longest player message accepted, in characters as a person sees them (grapheme clusters:
   * an emoji, even one made of several code points, counts once; default 4000).
   */
  maxLength: z.number().int().min(1).max(100_000).default(4000),
});

const storyboardSchema = z.strictObject({
  /** Offer a storyboard after every GM narration when `imageGeneration` is on (default `true`). */
  auto: z.boolean().default(true),
  /** Most images per storyboard (default 3, at most 3). */
  maxImages: z.number().int().min(1).max(3).default(3),
});

const routerSchema = z.strictObject({
  /** Ask the model to classify input that no rule or command matched (default `true`; else it is narrated). */
  useModel: z.boolean().default(true),
});

const loggingSchema = z.strictObject({
  /** The built-in logger's level (default `info`); applied again on `reloadConfig`. */
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/** The whole Dreamdeck configuration. Every key is optional in input and has a default. */
export const configSchema = z.strictObject({
  /** Feature flags' defaults; global and per-user overrides live in storage (`dd.flags`). */
  features: featuresSchema.prefault({}),
  /** Per-user rate limits (shared by every instance on the same storage) and the image concurrency cap. */
  limits: limitsSchema.prefault({}),
  /** Personas by id (lowercase words with dashes, at most 40 characters): add to the built-in ones or replace them by id. */
  personas: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'persona ids are lowercase words with dashes'), personaSchema)
    .default({}),
  /** The persona of new threads, and of threads whose persona no longer exists (default `storyteller`). */
  defaultPersona: z.string().default('storyteller'),
  /** What of the story the model sees each turn. */
  memory: memorySchema.prefault({}),
  /** Limits on what the player writes. */
  input: inputSchema.prefault({}),
  /** The lorebook (world info, `dd.lore`): how far back keys are looked for and how much lore a prompt holds. */
  lore: loreSchema.prefault({}),
  /** Storyboards: when they are offered and how many images they hold. */
  storyboard: storyboardSchema.prefault({}),
  /** How input that is not a slash command is routed. */
  router: routerSchema.prefault({}),
  /** The built-in logger's settings; a `logger` you pass is used as it is, but its `level` (pino has one) follows `reloadConfig`. */
  logging: loggingSchema.prefault({}),
  /** The audit log (capability `audit` of the storage): how long it is kept and how much refused requests may write to it. */
  audit: auditSchema.prefault({}),
  /** Surveys asked after a number of turns (see docs/surveys.md); at most 20, ids unique. */
  surveys: z
    .array(surveySchema)
    .max(20)
    .refine((surveys) => new Set(surveys.map((s) => s.id)).size === surveys.length, 'survey ids must be unique')
    .default([]),
});

/**
 * Validated configuration with every default filled in.
 * @useDeclaredType
 */
export type DreamdeckConfig = z.output<typeof configSchema>;
/**
 * Configuration as a user writes it: every key optional.
 * @useDeclaredType
 */
export type DreamdeckConfigInput = z.input<typeof configSchema>;
/**
 * A persona as configured under `personas`, validated, with defaults filled in.
 * @useDeclaredType
 */
export type PersonaConfig = z.output<typeof personaSchema>;
/**
 * A survey as configured under `surveys`, validated.
 * @useDeclaredType
 */
export type SurveyConfig = z.output<typeof surveySchema>;
/**
 * One survey question, validated.
 * @useDeclaredType
 */
export type SurveyQuestion = z.output<typeof surveyQuestionSchema>;
/**
 * One arm of a prompt experiment, validated.
 * @useDeclaredType
 */
export type PromptVariant = z.output<typeof promptVariantSchema>;
/** The names of feature flags (keys of `features`). */
export type FlagName = keyof DreamdeckConfig['features'];
/** Every flag name. */
export const FLAG_NAMES = Object.keys(featuresSchema.shape) as FlagName[];
