import { z } from 'zod';
import { requireAdmin } from '../admin-role.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { emptyQuery } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';

/** Ids of surveys, personas and variants: lowercase words with dashes. */
const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase words with dashes, at most 40 characters');

/** `GET /admin/surveys/:id`: a page of text answers. */
export const surveyReportQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'a cursor from a previous report')
    .optional(),
});

/** `POST /admin/variants/:persona/promote`. */
export const promoteBody = z.strictObject({ id: slugSchema });

/**
 * Surveys and prompt experiments, for the `admin` role only: `GET /admin/surveys` (the configured
 * surveys), `GET /admin/surveys/:id` (counts, mean ratings, choice shares, text answers paged by
 * `?cursor=&limit=`), `GET /admin/variants` (thumbs per persona variant with 95% Wilson
 * intervals) and `POST /admin/variants/:persona/promote` `{ id }`.
 */
export function experimentRoutes({ dd, maxBodyBytes }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['admin', 'surveys'],
      name: '/admin/surveys',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        parseQuery(emptyQuery, url);
        return jsonResponse({ surveys: dd.surveys.list() });
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'surveys', ':id'],
      name: '/admin/surveys/:id',
      handle: async ({ url, user, params }) => {
        requireAdmin(user);
        const query = parseQuery(surveyReportQuery, url);
        const id = parse(slugSchema, params.id, 'survey id');
        return jsonResponse(
          await dd.surveys.report(id, {
            ...(query.limit && { limit: query.limit }),
            ...(query.cursor && { cursor: query.cursor }),
          }),
        );
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'variants'],
      name: '/admin/variants',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        parseQuery(emptyQuery, url);
        return jsonResponse({ personas: await dd.variants.report() });
      },
    },
    {
      method: 'POST',
      pattern: ['admin', 'variants', ':persona', 'promote'],
      name: '/admin/variants/:persona/promote',
      handle: async ({ request, user, params }) => {
        requireAdmin(user);
        const persona = parse(slugSchema, params.persona, 'persona');
        const body = parse(promoteBody, await readJsonBody(request, maxBodyBytes));
        return jsonResponse({ promotion: await dd.variants.promote(persona, body.id) });
      },
    },
  ];
}
