import { DreamdeckError } from '../../errors.js';
import { requireAdmin } from '../admin-role.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { auditQuery, feedbackQuery, usageQuery } from '../http-schemas.js';
import type { Route } from '../router.js';
import { parseQuery } from '../validation.js';

/**
 * The admin analytics, each for the `admin` role only: `GET /admin/usage` (counters with totals),
 * `GET /admin/feedback` (summary and recent ratings) and `GET /admin/audit` (audit events).
 */
export function adminRoutes({ dd }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['admin', 'usage'],
      name: '/admin/usage',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        const query = parseQuery(usageQuery, url);
        if (!dd.storage.listUsage)
          throw new DreamdeckError('FEATURE_DISABLED', 'This storage adapter keeps no usage counters.');
        const usage = await dd.storage.listUsage(query);
        const totals: Record<string, number> = {};
        for (const row of usage) totals[row.metric] = (totals[row.metric] ?? 0) + row.count;
        return jsonResponse({ usage, totals });
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'feedback'],
      name: '/admin/feedback',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        const query = parseQuery(feedbackQuery, url);
        const [summary, recent] = await Promise.all([
          dd.storage.feedbackSummary(query.sinceDay ? { sinceDay: query.sinceDay } : {}),
          dd.storage.recentFeedback({ limit: query.limit ?? 50 }),
        ]);
        return jsonResponse({ summary, recent });
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'audit'],
      name: '/admin/audit',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        const query = parseQuery(auditQuery, url);
        if (!dd.storage.listAudit)
          throw new DreamdeckError('FEATURE_DISABLED', 'This storage adapter keeps no audit log.');
        return jsonResponse({
          events: await dd.storage.listAudit({ limit: query.limit ?? 100, ...(query.type && { type: query.type }) }),
        });
      },
    },
  ];
}
