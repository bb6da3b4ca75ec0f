import { describe, expect, it } from 'vitest';
import { describeError } from './http-errors.js';
import { allowedMethods, createRouter, type Route, routeParams } from './router.js';

const route = (method: string, path: string): Route => ({
  method,
  pattern: path.split('/').filter(Boolean),
  name: path,
  handle: async () => new Response(null, { status: 204 }),
});

const routes = [
  route('POST', '/threads'),
  route('GET', '/threads'),
  route('GET', '/threads/:id'),
  route('DELETE', '/threads/:id'),
  route('POST', '/threads/:id/messages/:mid/feedback'),
];

const statusOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return describeError(error);
  }
  throw new Error('expected a refusal');
};

describe('router', () => {
  it('matches whole segments below the base path, ignoring a trailing slash on it', () => {
    const router = createRouter('/api/', routes);
    expect(router.segments('/api/threads/t_1')).toEqual(['threads', 't_1']);
    expect(router.segments('/api')).toEqual([]);
    expect(router.candidates(router.segments('/api/threads')).map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(statusOf(() => router.segments('/apix/threads')).status).toBe(404);
    expect(statusOf(() => router.segments('/threads')).status).toBe(404);
    expect(statusOf(() => router.candidates(['threads', 't_1', 'nope'])).status).toBe(404);
  });

  it('answers broken percent-encoding 404', () => {
    const router = createRouter('', routes);
    expect(router.segments('/threads/a%20b')).toEqual(['threads', 'a b']);
    expect(statusOf(() => router.segments('/threads/%E0%A4%A')).code).toBe('NOT_FOUND');
  });

  it('selects by method, else 405 with Allow in route order', () => {
    const router = createRouter('', routes);
    const candidates = router.candidates(['threads', 't_1']);
    expect(router.select(candidates, 'DELETE').name).toBe('/threads/:id');
    const refused = statusOf(() => router.select(candidates, 'PUT'));
    expect(refused).toMatchObject({ status: 405, code: 'INVALID_INPUT', headers: { allow: 'GET, DELETE' } });
    expect(allowedMethods(candidates)).toBe('GET, DELETE');
  });

  it('checks every path parameter as an id, naming the bad one', () => {
    const feedback = routes[4]!;
    expect(routeParams(feedback, ['threads', 't_1', 'messages', 'msg_2', 'feedback'])).toEqual({
      id: 't_1',
      mid: 'msg_2',
    });
    const error = statusOf(() => routeParams(feedback, ['threads', 't_1', 'messages', 'bad id!', 'feedback']));
    expect(error.status).toBe(400);
    expect(error.message).toContain('mid');
  });
});
