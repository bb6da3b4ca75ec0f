// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DreamdeckApiError } from '../src/api-client.js';
import { ConnectionController, type DreamdeckErrorDetail } from '../src/connection-controller.js';
import { en } from '../src/strings.js';
import { failure, json, stubServer, testHost } from './controller-host.js';

function connection() {
  const host = testHost();
  const restarts: number[] = [];
  const reconnects: number[] = [];
  const controller = new ConnectionController(
    host,
    () => en,
    () => restarts.push(1),
    () => reconnects.push(1),
  );
  const errors: DreamdeckErrorDetail[] = [];
  host.addEventListener('dreamdeck-error', (event) => errors.push((event as CustomEvent).detail));
  host.connect();
  return { host, controller, restarts, reconnects, errors };
}

describe('ConnectionController', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('connects with the element’s token, or fetches a guest token when there is none', async () => {
    const server = stubServer((call) =>
      call.path === '/auth/guest' ? json({ token: 'guest-token', user: { id: 'g' } }, 201) : json({}),
    );
    const { host, controller } = connection();
    const client = await controller.connect();
    expect(client.token).toBe('token');
    expect(controller.client).toBe(client);
    expect(server.calls).toEqual([]);

    host.token = '';
    host.endpoint = '/api/';
    const guest = await controller.connect();
    expect(guest.token).toBe('guest-token');
    expect(guest.endpoint).toBe('/api');
    expect(server.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /auth/guest']);
    expect(controller.state).toBe('online');
  });

  it('reads the input limit from GET /me, and keeps 4000 when the server does not say', async () => {
    let me: () => Response = () => json({ user: { id: 'u', roles: [] }, limits: { inputMaxLength: 123 } });
    const server = stubServer((call) => (call.path === '/me' ? me() : failure(404, 'NOT_FOUND')));
    const { host, controller } = connection();
    expect(controller.inputMaxLength).toBe(4000);
    await controller.connect();
    const updates = host.updates;
    await controller.loadLimits();
    expect(controller.inputMaxLength).toBe(123);
    expect(host.updates).toBeGreaterThan(updates);
    expect(server.calls.at(-1)).toMatchObject({ method: 'GET', path: '/me', auth: 'Bearer token' });

    for (const answer of [
      () => json({ user: { id: 'u', roles: [] } }),
      () => json({ user: { id: 'u' }, limits: { inputMaxLength: '50' } }),
      () => json({ user: { id: 'u' }, limits: { inputMaxLength: 0 } }),
      () => failure(404, 'NOT_FOUND'),
    ]) {
      me = () => json({ user: { id: 'u' }, limits: { inputMaxLength: 77 } });
      await controller.loadLimits();
      expect(controller.inputMaxLength).toBe(77);
      me = answer;
      await controller.loadLimits();
      expect(controller.inputMaxLength).toBe(4000);
    }
  });

  it('shows a failure in the banner and fires dreamdeck-error; a network failure marks it offline', () => {
    const { controller, errors } = connection();
    controller.fail(new DreamdeckApiError('MODEL_UNAVAILABLE', 'The model is resting.', 503), true);
    expect(controller.error).toEqual({
      code: 'MODEL_UNAVAILABLE',
      message: 'The model is resting.',
      retryable: true,
      retry: true,
    });
    expect(controller.state).toBe('online');

    controller.fail(new DreamdeckApiError('INVALID_INPUT', 'Too long.', 400), true);
    // not retryable: no Retry button even when asked for one
    expect(controller.error).toMatchObject({ code: 'INVALID_INPUT', retry: false, retryable: false });

    controller.fail(new DreamdeckApiError('RATE_LIMITED', 'slow down', 429, 2500), false);
    expect(controller.error).toMatchObject({ message: 'Too many requests. Try again in 3 s.', retry: false });

    controller.fail(new DreamdeckApiError('NETWORK', 'fetch failed', 0), true);
    expect(controller.error).toMatchObject({ code: 'NETWORK', message: 'Offline', retry: true });
    expect(controller.state).toBe('offline');

    controller.fail(new TypeError('boom'), true);
    expect(controller.error).toMatchObject({ code: 'INTERNAL', message: 'Something went wrong.' });
    expect(errors.map((error) => error.code)).toEqual([
      'MODEL_UNAVAILABLE',
      'INVALID_INPUT',
      'RATE_LIMITED',
      'NETWORK',
      'INTERNAL',
    ]);
    expect(errors[0]).toEqual({ code: 'MODEL_UNAVAILABLE', message: 'The model is resting.', retryable: true });
  });

  it('follows the window going offline and online, and reloads once back', () => {
    const { host, controller, reconnects } = connection();
    window.dispatchEvent(new Event('online'));
    expect(reconnects).toEqual([]);
    window.dispatchEvent(new Event('offline'));
    expect(controller.state).toBe('offline');
    window.dispatchEvent(new Event('online'));
    expect(controller.state).toBe('online');
    expect(reconnects).toEqual([1]);
    host.disconnect();
    window.dispatchEvent(new Event('offline'));
    expect(controller.state).toBe('online');
  });

  it('shows reconnecting while requests are retried', async () => {
    let attempts = 0;
    stubServer(() => {
      attempts++;
      if (attempts === 1) throw new TypeError('fetch failed');
      return json({ threads: [] });
    });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { controller } = connection();
    const client = await controller.connect();
    const states: string[] = [];
    const set = controller.set.bind(controller);
    controller.set = (patch) => {
      if (patch.state) states.push(patch.state);
      set(patch);
    };
    await client.listThreads();
    expect(states).toEqual(['reconnecting', 'online']);
    vi.restoreAllMocks();
  });

  it('starts over when the element gets another endpoint or token', async () => {
    stubServer(() => json({}));
    const { host, controller, restarts } = connection();
    host.update();
    expect(restarts).toEqual([]);
    await controller.connect();
    host.update();
    expect(restarts).toEqual([]);
    host.endpoint = '/api/';
    host.update();
    expect(restarts).toEqual([]);
    host.endpoint = '/other';
    host.update();
    expect(restarts).toEqual([1]);
    host.endpoint = '/api';
    host.token = 'another';
    host.update();
    expect(restarts).toEqual([1, 1]);
    // no token means a guest: the guest token the client holds is not a change
    host.token = '';
    await controller.connect();
    host.update();
    expect(restarts).toEqual([1, 1]);
  });
});
