// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionController } from '../src/connection-controller.js';
import { PreferencesController } from '../src/preferences-controller.js';
import type { ThreadRecord } from '../src/protocol.js';
import { StoryController } from '../src/story-controller.js';
import { en } from '../src/strings.js';
import { ThreadPersistence } from '../src/thread-persistence.js';
import { type Call, failure, json, stubServer, testHost } from './controller-host.js';

const now = '2026-01-01T00:00:00Z';
const thread: ThreadRecord = { id: 't', userId: 'u', title: 'T', persona: 'gm', createdAt: now, updatedAt: now };

async function preferences(handle: (call: Call) => Response) {
  const server = stubServer(handle);
  const host = testHost();
  const connection = new ConnectionController(
    host,
    () => en,
    () => {},
    () => {},
  );
  const story = new StoryController(host, connection, new ThreadPersistence(host, () => {}), () => {});
  const controller = new PreferencesController(host, connection, story);
  await connection.connect();
  return { host, connection, story, controller, server };
}

describe('PreferencesController', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('reads personas, flags and the preferred persona', async () => {
    const { controller } = await preferences((call) =>
      call.path === '/personas'
        ? json({ personas: [{ id: 'gm', name: 'GM' }] })
        : json({ flags: { diceRolling: true }, toggleable: ['diceRolling'], preferences: { persona: 'gm' } }),
    );
    await Promise.all([controller.loadPersonas(), controller.loadFlags()]);
    expect(controller.personas).toEqual([{ id: 'gm', name: 'GM' }]);
    expect(controller.flags).toEqual({ flags: { diceRolling: true }, toggleable: ['diceRolling'] });
    expect(controller.preferredPersona).toBe('gm');
  });

  it('works without them when they cannot be read', async () => {
    const { controller, connection } = await preferences(() => failure(404, 'NOT_FOUND'));
    controller.set({ personas: [{ id: 'old', name: 'Old' }] });
    await Promise.all([controller.loadPersonas(), controller.loadFlags()]);
    expect(controller.personas).toEqual([]);
    expect(controller.flags).toEqual({ flags: {}, toggleable: [] });
    expect(connection.error).toBeUndefined();
  });

  // issue 21 fix 5: the "Game master" setting changed only new stories, silently
  it('saves a persona, which the open story takes too, under way or not', async () => {
    const { controller, story, server } = await preferences((call) =>
      call.path === '/preferences'
        ? json({ flags: {}, toggleable: [] })
        : json({ thread: { ...thread, ...(call.body as object) } }),
    );
    story.set({ thread, messages: [] });
    await controller.change({ persona: 'noir' });
    expect(server.calls.map((call) => [call.method, call.path, call.body])).toEqual([
      ['PATCH', '/preferences', { persona: 'noir' }],
      ['PATCH', '/threads/t', { persona: 'noir' }],
    ]);
    expect(controller.preferredPersona).toBe('noir');
    expect(story.thread?.persona).toBe('noir');

    // a story already under way switches as well (as `/persona` does)
    story.set({
      messages: [
        { id: 'p1', threadId: 't', role: 'user', kind: 'player', content: 'hi', createdAt: now, status: 'complete' },
      ],
    });
    await controller.change({ persona: 'bard' });
    expect(server.calls.slice(2).map((call) => [call.method, call.path, call.body])).toEqual([
      ['PATCH', '/preferences', { persona: 'bard' }],
      ['PATCH', '/threads/t', { persona: 'bard' }],
    ]);
    expect(story.thread?.persona).toBe('bard');
  });

  it('saves a flag, and reads the flags back when the server refuses', async () => {
    let refuse = false;
    const { controller, connection, server } = await preferences((call) => {
      if (call.method === 'PATCH' && refuse) return failure(403, 'FORBIDDEN', 'Not yours to change.');
      return json({ flags: { webSearch: call.method === 'PATCH' }, toggleable: ['webSearch'] });
    });
    await controller.change({ flags: { webSearch: true } });
    expect(server.calls[0]).toMatchObject({
      method: 'PATCH',
      path: '/preferences',
      body: { flags: { webSearch: true } },
    });
    expect(controller.flags.flags).toEqual({ webSearch: true });
    refuse = true;
    await controller.change({ flags: { webSearch: false } });
    expect(connection.error).toMatchObject({ code: 'FORBIDDEN', message: 'Not yours to change.', retry: false });
    await vi.waitFor(() => expect(server.calls.at(-1)).toMatchObject({ method: 'GET', path: '/preferences' }));
    await vi.waitFor(() => expect(controller.flags.flags).toEqual({ webSearch: false }));
  });
});
