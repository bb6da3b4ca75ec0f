import { z } from 'zod';
import { DreamdeckError } from '../../errors.js';
import type { KnowledgeProgress } from '../../knowledge/knowledge-types.js';
import { knowledgeMimeType, MAX_DOCUMENT_BYTES } from '../../knowledge/read-document.js';
import { isAdmin, requireAdmin } from '../admin-role.js';
import type { HttpContext } from '../http-context.js';
import { describeError, jsonResponse } from '../http-errors.js';
import { cleanTextSchema, idSchema } from '../http-schemas.js';
import { readRawBody } from '../read-raw-body.js';
import type { Route } from '../router.js';
import type { AuthUser } from '../token-auth.js';
import { parseQuery } from '../validation.js';

/** Largest upload `POST /knowledge` reads (the engine's own cap on a document). */
export const MAX_KNOWLEDGE_UPLOAD_BYTES = MAX_DOCUMENT_BYTES;

/** `POST /knowledge`: the title, and where the document belongs (a story, or `scope=global` for an admin). */
export const addKnowledgeQuery = z
  .strictObject({
    title: cleanTextSchema(200, 1),
    threadId: idSchema.optional(),
    scope: z.enum(['user', 'thread', 'global']).optional(),
  })
  .refine((query) => query.scope !== 'thread' || query.threadId !== undefined, 'a story’s document needs a threadId')
  .refine((query) => query.scope !== 'global' || query.threadId === undefined, 'a global document has no threadId');

/** `GET /knowledge` and the passage route: the story being played, whose documents are visible too. */
export const listKnowledgeQuery = z.strictObject({ threadId: idSchema.optional() });

const STAGE_TEXT: Record<KnowledgeProgress['stage'], string> = {
  reading: 'Reading page',
  splitting: 'Split into passages:',
  embedding: 'Embedding passage',
  storing: 'Storing passage',
};

/** A progress report as a `status` event's text ("Reading page 20 of 300"). */
function statusText(progress: KnowledgeProgress): string {
  if (progress.stage === 'splitting') return `${STAGE_TEXT.splitting} ${progress.total}`;
  return `${STAGE_TEXT[progress.stage]} ${progress.done} of ${progress.total}`;
}

const encoder = new TextEncoder();
const sse = (event: Record<string, unknown> & { type: string }) =>
  encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

/**
 * The knowledge base over HTTP (`dd.knowledge`): upload a `.txt`, `.md` or `.pdf` file as the raw
 * body with its `content-type` (at most 20 MB; the type is checked by the bytes, not the header
 * alone), list the documents the caller sees, delete one, and read one passage (a citation,
 * opened). A user's document is theirs alone; `?threadId=` puts it in one of their stories;
 * `?scope=global` (admin only) shares it with everyone. With `accept: text/event-stream` the upload
 * answers `status` events while a large file is read, then `knowledge-added` (or `error`).
 */
export function knowledgeRoutes({ dd, openSession }: HttpContext): Route[] {
  /** The document, when the caller may delete it: their own, or a global one for an admin. */
  const owned = async (user: AuthUser, documentId: string) => {
    const document = await dd.knowledge.get(documentId);
    if (document && (document.userId === user.id || (document.userId === undefined && isAdmin(user)))) return document;
    if (document?.userId === undefined && document) throw new DreamdeckError('FORBIDDEN', 'Only an admin can do that.');
    throw new DreamdeckError('NOT_FOUND', 'That document does not exist.');
  };
  return [
    {
      method: 'GET',
      pattern: ['knowledge'],
      name: '/knowledge',
      handle: async ({ url, user }) => {
        const query = parseQuery(listKnowledgeQuery, url);
        if (query.threadId) await openSession(user, query.threadId);
        const documents = await dd.knowledge.list({
          userId: user.id,
          ...(query.threadId && { threadId: query.threadId }),
        });
        return jsonResponse({ documents });
      },
    },
    {
      method: 'POST',
      pattern: ['knowledge'],
      name: '/knowledge',
      handle: async ({ request, url, user }) => {
        const query = parseQuery(addKnowledgeQuery, url);
        const global = query.scope === 'global';
        if (global) requireAdmin(user);
        const mimeType = knowledgeMimeType(request.headers.get('content-type') ?? '');
        if (query.threadId) await openSession(user, query.threadId);
        const data = await readRawBody(request, MAX_KNOWLEDGE_UPLOAD_BYTES);
        if (data.byteLength === 0)
          throw new DreamdeckError('INVALID_INPUT', 'The upload is empty: send the file as the body.');
        const input = {
          ...(!global && { userId: user.id }),
          ...(query.threadId && { threadId: query.threadId }),
          title: query.title,
          data,
          mimeType,
        };
        if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) {
          const added = await dd.knowledge.add(input);
          return jsonResponse({ ...added, document: await dd.knowledge.get(added.documentId) }, 201);
        }
        const abort = new AbortController();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            const send = (event: Record<string, unknown> & { type: string }) => {
              if (!abort.signal.aborted) controller.enqueue(sse(event));
            };
            send({ type: 'status', text: 'Reading the file', stage: 'reading', done: 0, total: 0 });
            dd.knowledge
              .add(input, {
                signal: abort.signal,
                onProgress: (progress) => send({ type: 'status', text: statusText(progress), ...progress }),
              })
              .then(
                async (added) =>
                  send({ type: 'knowledge-added', ...added, document: await dd.knowledge.get(added.documentId) }),
                (error: unknown) => {
                  const { code, message } = describeError(error);
                  send({ type: 'error', code, message });
                },
              )
              .finally(() => {
                if (!abort.signal.aborted) controller.close();
              });
          },
          cancel() {
            abort.abort();
          },
        });
        return new Response(body, {
          status: 200,
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            'x-accel-buffering': 'no',
          },
        });
      },
    },
    {
      method: 'DELETE',
      pattern: ['knowledge', ':id'],
      name: '/knowledge/:id',
      handle: async ({ user, params }) => {
        await owned(user, params.id!);
        await dd.knowledge.remove(params.id!);
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'GET',
      pattern: ['knowledge', ':id', 'chunks', ':index'],
      name: '/knowledge/:id/chunks/:index',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(listKnowledgeQuery, url);
        if (query.threadId) await openSession(user, query.threadId);
        const passage = await dd.knowledge.passage(`${params.id}#${params.index}`, {
          userId: user.id,
          ...(query.threadId && { threadId: query.threadId }),
        });
        if (!passage) throw new DreamdeckError('NOT_FOUND', 'That passage does not exist.');
        return jsonResponse({ passage });
      },
    },
  ];
}
