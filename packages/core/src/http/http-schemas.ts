import { z } from 'zod';
import { cleanText } from '../clean-text.js';
import { FLAG_NAMES } from '../config/config-schema.js';
import { graphemeLength } from '../text-length.js';

/** Ids in paths and bodies: the engine's `prefix_hex` ids, or any short word a storage adapter uses. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'not a valid id');

/**
 * Free text from a player: control characters stripped, trimmed, at most `max` characters after
 * cleaning, counted as a person sees them (grapheme clusters: an emoji counts once). The raw
 * string is first capped at 16 UTF-16 units per allowed character, so an absurd one is refused
 * before it is segmented (the body size limit caps it anyway).
 */
export function cleanTextSchema(max: number, min = 0) {
  return z
    .string()
    .max(max * 16 + 64)
    .transform(cleanText)
    .refine((text) => text.length >= min, min > 0 ? 'must not be empty' : 'invalid')
    .refine((text) => text.length <= max || graphemeLength(text) <= max, `must be at most ${max} characters`);
}

/** `POST /threads`. */
export const createThreadBody = z.strictObject({
  title: cleanTextSchema(200).optional(),
  persona: idSchema.optional(),
});

/** `PATCH /threads/:id`. */
export const updateThreadBody = z
  .strictObject({
    title: cleanTextSchema(200, 1).optional(),
    persona: idSchema.optional(),
  })
  .refine((body) => body.title !== undefined || body.persona !== undefined, 'give a title or a persona');

const buildTurnBody = (maxLength: number) => z.strictObject({ text: cleanTextSchema(maxLength, 1) });
const turnBodies = new Map<number, ReturnType<typeof buildTurnBody>>();

/** `POST /threads/:id/turns` (the cap on `text` comes from config `input.maxLength`). */
export function turnBody(maxLength: number) {
  // built once per limit: a zod schema costs far more to build than to run
  let schema = turnBodies.get(maxLength);
  if (!schema) {
    schema = buildTurnBody(maxLength);
    turnBodies.set(maxLength, schema);
  }
  return schema;
}

/** `POST /threads/:id/resume`. */
export const resumeBody = z.strictObject({
  interruptId: idSchema,
  // a survey is answered with answers by question id (the engine checks them) or skipped with null
  value: z.union([
    z.boolean(),
    z.string().max(500),
    z.null(),
    z.record(z.string().max(40), z.union([z.number(), z.string().max(10_000), z.null()])),
  ]),
});

/** `POST /threads/:id/messages/:mid/regenerate` (an empty body is fine too). */
export const regenerateBody = z.strictObject({});

/** Routes that take no body, such as `POST /auth/guest` (an empty JSON object is fine too). */
export const emptyBody = regenerateBody;

/** `POST /threads/:id/messages/:mid/feedback`. */
export const feedbackBody = z.strictObject({
  value: z.union([z.literal(1), z.literal(-1)]),
  comment: cleanTextSchema(2000).optional(),
});

const flagPatch = z.strictObject(
  Object.fromEntries(FLAG_NAMES.map((name) => [name, z.boolean().nullable().optional()])),
);

/** `PATCH /flags`: `{ flagName: true | false | null }` (null removes the override). */
export const flagsBody = flagPatch.refine((body) => Object.keys(body).length > 0, 'name at least one flag');

/** `PATCH /preferences`. */
export const preferencesBody = z
  .strictObject({
    persona: idSchema.nullable().optional(),
    flags: flagPatch.optional(),
    /** When the GM offers to paint scenes (issue 21): see `StoryboardPreference`. */
    storyboards: z.enum(['every-reply', 'on-command', 'never']).optional(),
  })
  .refine(
    (body) => body.persona !== undefined || body.flags !== undefined || body.storyboards !== undefined,
    'give a persona, flags or storyboards',
  );

const limitQuery = z.coerce.number().int().min(1).max(500);
const dayQuery = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** `GET /threads`. */
export const listThreadsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});

/** `GET /threads/:id` and `GET /threads/:id/messages`. */
export const messagesQuery = z.strictObject({
  limit: limitQuery.optional(),
  before: idSchema.optional(),
});

/** `GET /threads/:id/export`. */
export const exportQuery = z.strictObject({ format: z.enum(['json', 'markdown']).default('markdown') });

/** `GET /admin/usage`. */
export const usageQuery = z.strictObject({
  sinceDay: dayQuery.optional(),
  // what `authenticate` may return as a user id: 1–128 characters, none of them a control character
  userId: z
    .string()
    .regex(/^[^\u0000-\u001f\u007f]{1,128}$/, 'a user id')
    .optional(),
});

/** `GET /admin/feedback`. */
export const feedbackQuery = z.strictObject({ sinceDay: dayQuery.optional(), limit: limitQuery.optional() });

/** `GET /admin/audit`. */
export const auditQuery = z.strictObject({
  type: z.enum(['auth-failure', 'rate-limited', 'input-rejected', 'forbidden', 'flag-changed']).optional(),
  limit: limitQuery.optional(),
});

/** Queries of routes that take none. */
export const emptyQuery = z.strictObject({});

/** `PATCH /threads/:id/messages/:mid`: the new text (the engine checks it as it checks a turn's), and whether the GM answers again. */
export const editMessageBody = z.strictObject({
  text: z.string().max(1_000_000),
  rerun: z.boolean().optional(),
});

/** `POST /threads/:id/rewind` and `POST /threads/:id/branch`: the message to rewind or branch at. */
export const messageIdBody = z.strictObject({ messageId: idSchema });

/** `POST /threads/:id/messages/:mid/select`: the version of a regenerated reply to show (0 = the first). */
export const selectAlternativeBody = z.strictObject({ index: z.number().int().min(0).max(1000) });

/**
 * `POST /threads/import`: `session.export('json')` output as it is (`{ thread, messages }`), or a
 * file's text (`{ text }`: that JSON, or a SillyTavern chat `.jsonl`). The engine checks the story.
 */
export const importStoryBody = z.union([
  z.strictObject({ text: z.string().min(1) }),
  z.object({ thread: z.record(z.string(), z.unknown()), messages: z.array(z.unknown()) }),
]);
