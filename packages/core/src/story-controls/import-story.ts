import { z } from 'zod';
import { stripControl } from '../clean-text.js';
import { DreamdeckError } from '../errors.js';
import { newId } from '../storage/ids.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { MessageAlternative, MessagePart, StoryMessage, ThreadRecord } from '../types.js';
import { MAX_MESSAGE_CHARS } from '../workflow/export-story.js';

/** The most messages one import may hold. */
export const MAX_IMPORT_MESSAGES = 20_000;

/** The most versions (swipes) one imported message keeps. */
const MAX_VERSIONS = 20;

const text = (value: string) => stripControl(value).slice(0, MAX_MESSAGE_CHARS);

/** A story read from an export, before it is stored. */
export interface ImportedStory {
  /** Its title. */
  title: string;
  /** The persona named in the file, when one was. */
  persona?: string;
  /** Its messages in order, with placeholder ids and thread (replaced when stored). */
  messages: StoryMessage[];
}

const status = z.enum(['streaming', 'complete', 'aborted', 'error']);
const safeUrl = z
  .string()
  .max(MAX_MESSAGE_CHARS * 20)
  .refine((url) => /^https?:\/\//i.test(url) || /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,/i.test(url));
const part = z.union([
  z.object({
    type: z.literal('dice'),
    roll: z.object({
      notation: z.string().max(200),
      rolls: z
        .array(z.object({ value: z.number(), dropped: z.boolean().optional(), exploded: z.boolean().optional() }))
        .max(1000),
      total: z.number(),
      reason: z.string().max(200).optional(),
      output: z.string().max(5000),
    }),
  }),
  z.object({
    type: z.literal('image'),
    image: z.object({
      id: z.string().max(200),
      url: safeUrl,
      mimeType: z.string().max(100),
      prompt: z.string().max(5000),
    }),
  }),
  z.object({ type: z.literal('choices'), options: z.array(z.string().max(2000)).max(5) }),
  z.object({ type: z.literal('reset') }),
]);
const alternative = z.object({
  content: z.string(),
  parts: z.array(z.unknown()).optional(),
  createdAt: z.string().max(100),
  status,
});
const exportedMessage = z.object({
  role: z.enum(['user', 'assistant', 'tool', 'system']),
  kind: z.enum(['player', 'narration', 'dice', 'search', 'storyboard', 'knowledge', 'todo', 'help', 'system']),
  persona: z.string().max(100).optional(),
  content: z.string(),
  parts: z.array(z.unknown()).max(100).optional(),
  createdAt: z.string().max(100),
  status,
  alternatives: z.array(alternative).max(MAX_VERSIONS).optional(),
  alternativeIndex: z.number().int().min(0).optional(),
});
const exportedStory = z.object({
  thread: z.object({ title: z.string().max(200), persona: z.string().max(100).optional() }).loose(),
  messages: z.array(z.unknown()).max(MAX_IMPORT_MESSAGES),
});
const tavernHeader = z
  .object({
    user_name: z.string().max(200).optional(),
    character_name: z.string().max(200).optional(),
    chat_metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
const tavernMessage = z
  .object({
    name: z.string().max(200).optional(),
    is_user: z.boolean(),
    is_system: z.boolean().optional(),
    send_date: z.union([z.string().max(200), z.number()]).optional(),
    mes: z.string(),
    swipes: z.array(z.string()).max(1000).optional(),
    swipe_id: z.number().int().min(0).optional(),
  })
  .loose();

/** Keeps the parts a UI may show safely (dice, images with http(s) or data:image URLs, choices, resets). */
function safeParts(parts: unknown[] | undefined): MessagePart[] | undefined {
  if (!parts) return undefined;
  const kept = parts.flatMap((value) => {
    const parsed = part.safeParse(value);
    return parsed.success ? [parsed.data as MessagePart] : [];
  });
  return kept.length > 0 ? kept : undefined;
}

/** An ISO timestamp from a stored date (ISO, SillyTavern's "April 5, 2024 7:43pm", epoch ms), else `fallback`. */
function isoDate(value: string | number | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  const date = new Date(typeof value === 'number' ? value : value.replace(/(\d)(am|pm)$/i, '$1 $2'));
  return Number.isNaN(date.getTime()) ? fallback : date.toISOString();
}

function invalid(message: string, cause?: unknown): DreamdeckError {
  return new DreamdeckError('INVALID_INPUT', `That file is not a story Dreamdeck can import: ${message}`, {
    ...(cause !== undefined && { cause }),
  });
}

/** A story from `session.export('json')` output (`{ thread, messages }`). */
function fromExport(value: unknown): ImportedStory {
  const parsed = exportedStory.safeParse(value);
  if (!parsed.success) throw invalid('expected { thread, messages } as session.export("json") writes it.');
  const messages = parsed.data.messages.map((raw, index): StoryMessage => {
    const message = exportedMessage.safeParse(raw);
    if (!message.success) throw invalid(`message ${index + 1} lacks role, kind, content, createdAt or status.`);
    const m = message.data;
    const parts = safeParts(m.parts);
    const alternatives = m.alternatives?.map(
      (alt): MessageAlternative => ({
        content: text(alt.content),
        createdAt: alt.createdAt,
        status: alt.status === 'streaming' ? 'aborted' : alt.status,
        ...(safeParts(alt.parts) && { parts: safeParts(alt.parts) }),
      }),
    );
    return {
      id: '',
      threadId: '',
      role: m.role,
      kind: m.role === 'user' ? 'player' : m.kind === 'player' ? 'narration' : m.kind,
      ...(m.persona && { persona: m.persona }),
      content: text(m.content),
      ...(parts && { parts }),
      createdAt: isoDate(m.createdAt, new Date().toISOString()),
      status: m.status === 'streaming' ? 'aborted' : m.status,
      ...(alternatives?.length && { alternatives }),
      ...(alternatives?.length &&
        m.alternativeIndex !== undefined && { alternativeIndex: Math.min(m.alternativeIndex, alternatives.length) }),
    };
  });
  return {
    title: text(parsed.data.thread.title).trim() || 'Imported story',
    ...(parsed.data.thread.persona && { persona: parsed.data.thread.persona }),
    messages,
  };
}

/**
 * A story from a SillyTavern chat file (`.jsonl`): a first line of metadata (`user_name`,
 * `character_name`, `chat_metadata`), then one message per line (`name`, `is_user`, `send_date`,
 * `mes`, and for replies with swipes `swipes` and `swipe_id`, the one shown).
 */
function fromTavern(lines: string[]): ImportedStory {
  const parse = (line: string, index: number) => {
    try {
      return JSON.parse(line) as unknown;
    } catch (error) {
      throw invalid(`line ${index + 1} is not JSON.`, error);
    }
  };
  const header = tavernHeader.safeParse(parse(lines[0] as string, 0));
  if (!header.success || !('chat_metadata' in header.data || 'user_name' in header.data))
    throw invalid('a SillyTavern chat starts with a line of user_name, character_name and chat_metadata.');
  if (lines.length - 1 > MAX_IMPORT_MESSAGES) throw invalid(`more than ${MAX_IMPORT_MESSAGES} messages.`);
  const start = Date.now();
  const messages = lines.slice(1).map((line, index): StoryMessage => {
    const parsed = tavernMessage.safeParse(parse(line, index + 1));
    if (!parsed.success) throw invalid(`line ${index + 2} is not a chat message (name, is_user, mes).`);
    const m = parsed.data;
    const createdAt = isoDate(m.send_date, new Date(start + index).toISOString());
    const base = { id: '', threadId: '', content: text(m.mes), createdAt, status: 'complete' as const };
    if (m.is_user) return { ...base, role: 'user', kind: 'player' };
    if (m.is_system) return { ...base, role: 'system', kind: 'system' };
    const swipes = (m.swipes ?? []).slice(0, MAX_VERSIONS).map(text);
    if (swipes.length < 2) return { ...base, role: 'assistant', kind: 'narration' };
    const shown = Math.min(m.swipe_id ?? 0, swipes.length - 1);
    return {
      ...base,
      role: 'assistant',
      kind: 'narration',
      content: swipes[shown] as string,
      alternatives: swipes
        .filter((_, i) => i !== shown)
        .map((content) => ({ content, createdAt, status: 'complete' as const })),
      alternativeIndex: shown,
    };
  });
  const character = header.data.character_name?.trim();
  return { title: character ? `${character.slice(0, 180)} (SillyTavern)` : 'Imported story', messages };
}

/**
 * Reads an exported story: `session.export('json')` output (a string or the parsed object) or a
 * SillyTavern chat `.jsonl`. Throws `INVALID_INPUT` saying what is wrong for anything else;
 * nothing is stored here.
 */
export function readImport(exported: unknown): ImportedStory {
  if (typeof exported === 'object' && exported !== null) return fromExport(exported);
  if (typeof exported !== 'string' || !exported.trim())
    throw invalid('give the text of a story export or a SillyTavern chat.');
  const trimmed = exported.replace(/^\uFEFF/, '').trim();
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch (error) {
    // not one JSON document: a SillyTavern chat is one per line
    if (!trimmed.includes('\n')) throw invalid('it is not JSON.', error);
    return fromTavern(trimmed.split('\n').filter((line) => line.trim()));
  }
  return fromExport(document);
}

/** What {@link importStory} needs of the engine. */
export interface ImportDeps {
  storage: StorageAdapter;
  /** Whether a persona id exists. */
  hasPersona: (id: string) => boolean;
  /** The persona for a story whose file names none (or an unknown one). */
  defaultPersona: string;
}

/**
 * Stores an exported story ({@link readImport}) as a new thread of `userId`: every message with a
 * new id, in one all-or-none write. Bad input fails with `INVALID_INPUT` before anything is
 * stored; a failed write removes the new thread again, so nothing is ever half-imported.
 */
export async function importStory(deps: ImportDeps, userId: string, exported: unknown): Promise<ThreadRecord> {
  const story = readImport(exported);
  if (story.messages.length === 0) throw invalid('it holds no messages.');
  const { storage } = deps;
  const persona = story.persona && deps.hasPersona(story.persona) ? story.persona : deps.defaultPersona;
  if (!(await storage.getUser(userId))) await storage.upsertUser({ id: userId });
  const thread = await storage.createThread({ userId, persona, title: story.title.slice(0, 200) });
  const turns = new Map<string, string>();
  const messages = story.messages.map((message): StoryMessage => {
    // one imported turn per player message, so a reply keeps its player's turn
    if (message.role === 'user' || turns.size === 0) turns.set('current', newId('turn'));
    return {
      ...message,
      id: newId('msg'),
      threadId: thread.id,
      turnId: turns.get('current') as string,
      ...(message.kind === 'narration' && !message.persona && { persona }),
    };
  });
  try {
    await storage.appendMessages(messages);
  } catch (error) {
    await storage.deleteThread(thread.id).catch(() => undefined);
    throw error;
  }
  return thread;
}
