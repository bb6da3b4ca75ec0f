import { z } from 'zod';
import { DreamdeckError } from '../../errors.js';
import { isPng, readUpload } from '../../lore/import-files.js';
import { MAX_AUTHORS_NOTE } from '../../lore/lore-slots.js';
import { MAX_LORE_CONTENT, MAX_LORE_KEY, MAX_LORE_KEYS, MAX_PRIORITY } from '../../lore/lore-text.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { emptyQuery, idSchema } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import { readRawBody } from '../read-raw-body.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';

/** Largest upload `POST /lore/import` reads (a PNG card with its image). */
export const MAX_LORE_UPLOAD_BYTES = 10 * 1024 * 1024;

// the engine cleans and checks the text (control characters, hostile markup); these cap the sizes
const keysSchema = z.array(z.string().max(MAX_LORE_KEY * 4)).max(MAX_LORE_KEYS);
const contentSchema = z.string().max(MAX_LORE_CONTENT * 4);
const prioritySchema = z.number().int().min(-MAX_PRIORITY).max(MAX_PRIORITY);

/** `GET /lore`. */
export const listLoreQuery = z.strictObject({ threadId: idSchema.optional() });

/** `POST /lore`. */
export const addLoreBody = z
  .strictObject({
    keys: keysSchema.optional(),
    content: contentSchema,
    constant: z.boolean().optional(),
    priority: prioritySchema.optional(),
    scope: z.enum(['user', 'thread']).optional(),
    threadId: idSchema.optional(),
  })
  .refine((body) => body.scope !== 'thread' || body.threadId !== undefined, 'a thread entry needs a threadId');

/** `PATCH /lore/:id`. */
export const updateLoreBody = z
  .strictObject({
    keys: keysSchema.optional(),
    content: contentSchema.optional(),
    constant: z.boolean().optional(),
    priority: prioritySchema.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'give a field to change');

/** `POST /lore/import`: `?kind=` names what the file is (default: told by its content). */
export const importLoreQuery = z.strictObject({ kind: z.enum(['card', 'world-info']).optional() });

/** `PUT /threads/:id/authors-note`. */
export const authorsNoteBody = z.strictObject({
  text: z
    .string()
    .max(MAX_AUTHORS_NOTE * 4)
    .nullable(),
});

/** What an upload is: a card (a PNG, or JSON with a card `spec`) or world info (JSON with `entries`). */
function kindOf(bytes: Uint8Array): 'card' | 'world-info' {
  if (isPng(bytes)) return 'card';
  const json = readUpload(bytes) as { spec?: unknown; entries?: unknown } | null;
  if (json && typeof json === 'object' && (json.spec === 'chara_card_v2' || json.spec === 'chara_card_v3'))
    return 'card';
  if (json && typeof json === 'object' && json.entries !== undefined && !Array.isArray(json)) return 'world-info';
  throw new DreamdeckError(
    'INVALID_INPUT',
    'The file is neither a character card (spec "chara_card_v2" or "chara_card_v3") nor world info (an "entries" object).',
  );
}

/**
 * The caller's lorebook (`dd.lore`): list (`?threadId=`), add (201), change, remove (204), import a
 * character card or world-info file (raw body, at most 10 MB, its type told by its bytes; 201), and
 * a story's author's note (`GET`/`PUT /threads/:id/authors-note`). Owner-only: another user's
 * entry or thread answers 404.
 */
export function loreRoutes({ dd, maxBodyBytes, openSession }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['lore'],
      name: '/lore',
      handle: async ({ url, user }) => {
        const query = parseQuery(listLoreQuery, url);
        const entries = await dd.lore.list(user.id, query.threadId ? { threadId: query.threadId } : {});
        return jsonResponse({ entries });
      },
    },
    {
      method: 'POST',
      pattern: ['lore'],
      name: '/lore',
      handle: async ({ request, user }) => {
        const body = parse(addLoreBody, await readJsonBody(request, maxBodyBytes));
        return jsonResponse({ entry: await dd.lore.add(user.id, body) }, 201);
      },
    },
    {
      method: 'POST',
      pattern: ['lore', 'import'],
      name: '/lore/import',
      handle: async ({ request, url, user }) => {
        const query = parseQuery(importLoreQuery, url);
        const bytes = await readRawBody(request, MAX_LORE_UPLOAD_BYTES);
        if (bytes.length === 0) throw new DreamdeckError('INVALID_INPUT', 'Send the file as the request body.');
        const kind = query.kind ?? kindOf(bytes);
        if (kind === 'card') {
          const { persona, entries, skipped } = await dd.lore.importCard(user.id, bytes);
          const { id, name, description, icon } = persona;
          return jsonResponse({ kind, persona: { id, name, description, icon }, entries, skipped }, 201);
        }
        const { entries, skipped } = await dd.lore.importWorldInfo(user.id, bytes);
        return jsonResponse({ kind, entries, skipped }, 201);
      },
    },
    {
      method: 'PATCH',
      pattern: ['lore', ':id'],
      name: '/lore/:id',
      handle: async ({ request, user, params }) => {
        const body = parse(updateLoreBody, await readJsonBody(request, maxBodyBytes));
        return jsonResponse({ entry: await dd.lore.update(user.id, params.id!, body) });
      },
    },
    {
      method: 'DELETE',
      pattern: ['lore', ':id'],
      name: '/lore/:id',
      handle: async ({ user, params }) => {
        await dd.lore.remove(user.id, params.id!);
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'authors-note'],
      name: '/threads/:id/authors-note',
      handle: async ({ url, user, params }) => {
        parseQuery(emptyQuery, url);
        const session = await openSession(user, params.id!);
        return jsonResponse({ text: await session.authorsNote() });
      },
    },
    {
      method: 'PUT',
      pattern: ['threads', ':id', 'authors-note'],
      name: '/threads/:id/authors-note',
      handle: async ({ request, user, params }) => {
        const body = parse(authorsNoteBody, await readJsonBody(request, maxBodyBytes));
        const session = await openSession(user, params.id!);
        return jsonResponse({ text: await session.setAuthorsNote(body.text) });
      },
    },
  ];
}
