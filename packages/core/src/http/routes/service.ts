import { DreamdeckError } from '../../errors.js';
import { requireAdmin } from '../admin-role.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import type { Route } from '../router.js';

/**
 * `GET /health` (liveness, no auth) and `GET /metrics` (Prometheus text; public, admin only, or
 * 404, as the `metrics` option says).
 */
export function serviceRoutes({ options, metrics }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['health'],
      name: '/health',
      open: true,
      handle: async () => jsonResponse({ status: 'ok' }),
    },
    {
      method: 'GET',
      pattern: ['metrics'],
      name: '/metrics',
      open: options.metrics !== 'admin',
      handle: async ({ user }) => {
        if (options.metrics === false) throw new DreamdeckError('NOT_FOUND', 'There is nothing here.');
        if (options.metrics === 'admin') requireAdmin(user);
        return new Response(await metrics.registry.metrics(), {
          headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
        });
      },
    },
  ];
}
