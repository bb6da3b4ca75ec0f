import { z } from 'zod';

/** A persona: a voice and prompt for the game master. */
export const personaSchema = z.strictObject({
  /** Display name. */
  name: z.string().min(1).max(80),
  /** One-line description for pickers. */
  description: z.string().max(300).default(''),
  /** An emoji or short icon text. */
  icon: z.string().max(16).default('🎭'),
  /** The system prompt. `{{persona}}` and `{{tools}}` are filled in. */
  prompt: z.string().min(1).max(20_000),
});

const featuresSchema = z.strictObject({
  imageGeneration: z.boolean().default(true),
  webSearch: z.boolean().default(false),
  diceRolling: z.boolean().default(true),
  knowledge: z.boolean().default(true),
  storyboardReview: z.boolean().default(true),
});

const limitsSchema = z.strictObject({
  turnsPerMinute: z.number().int().min(1).max(10_000_000).default(20),
  imagesPerMinute: z.number().int().min(1).max(10_000_000).default(5),
  apiCallsPerHour: z.number().int().min(1).max(10_000_000).default(60),
  imageConcurrency: z.number().int().min(1).max(64).default(2),
});

const memorySchema = z.strictObject({
  /** Token budget for the recent message window sent to the model. */
  windowTokens: z.number().int().min(200).max(1_000_000).default(3000),
  /** How many recent messages to consider before trimming to the budget. */
  windowMessages: z.number().int().min(2).max(1000).default(40),
});

const inputSchema = z.strictObject({
  maxLength: z.number().int().min(1).max(100_000).default(4000),
});

const storyboardSchema = z.strictObject({
  /** Offer a storyboard after every GM narration (when `imageGeneration` is on). */
  auto: z.boolean().default(true),
  /** Most images per storyboard. */
  maxImages: z.number().int().min(1).max(3).default(3),
});

const routerSchema = z.strictObject({
  /** Ask the model to classify input that no rule or command matched. */
  useModel: z.boolean().default(true),
});

const loggingSchema = z.strictObject({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/** The whole Dreamdeck configuration. Every key is optional in input and has a default. */
export const configSchema = z.strictObject({
  features: featuresSchema.prefault({}),
  limits: limitsSchema.prefault({}),
  personas: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'persona ids are lowercase words with dashes'), personaSchema)
    .default({}),
  defaultPersona: z.string().default('storyteller'),
  memory: memorySchema.prefault({}),
  input: inputSchema.prefault({}),
  storyboard: storyboardSchema.prefault({}),
  router: routerSchema.prefault({}),
  logging: loggingSchema.prefault({}),
});

/** Validated configuration with every default filled in. */
export type DreamdeckConfig = z.output<typeof configSchema>;
/** Configuration as a user writes it: every key optional. */
export type DreamdeckConfigInput = z.input<typeof configSchema>;
/** A persona as configured. */
export type PersonaConfig = z.output<typeof personaSchema>;
/** The names of feature flags (keys of `features`). */
export type FlagName = keyof DreamdeckConfig['features'];
/** Every flag name. */
export const FLAG_NAMES = Object.keys(featuresSchema.shape) as FlagName[];
