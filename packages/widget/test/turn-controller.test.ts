// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionController } from '../src/connection-controller.js';
import type { StoryMessage, ThreadRecord, TurnEvent } from '../src/protocol.js';
import { StoryController } from '../src/story-controller.js';
import { en } from '../src/strings.js';
import { ThreadPersistence } from '../src/thread-persistence.js';
import { TurnController } from '../src/turn-controller.js';
import { type Call, eventStream, failure, json, stubServer, testHost, until } from './controller-host.js';

const now = '2026-01-01T00:00:00Z';
const thread: ThreadRecord = { id: 't', userId: 'u', title: '', persona: 'gm', createdAt: now, updatedAt: now };
const reply = (id: string, content: string): StoryMessage => ({
  id,
  threadId: 't',
  role: 'assistant',
  kind: 'narration',
  content,
  createdAt: now,
  status: 'complete',
});
const narration = (id: string, text: string): TurnEvent[] => [
  { type: 'turn-start', turnId: 'x', threadId: 't' },
  { type: 'message-start', messageId: id, role: 'assistant', kind: 'narration' },
  { type: 'message-delta', messageId: id, text },
  { type: 'message-end', message: reply(id, text) },
  { type: 'turn-end', turnId: 'x', status: 'complete' },
];

/** Turns over a fake server; `turn` answers each turn route. */
async function turns(turn: (call: Call, signal: AbortSignal | null) => Response, stored: StoryMessage[] = []) {
  const server = stubServer((call, signal) => {
    if (call.method === 'POST' && /\/(turns|resume|regenerate)$/.test(call.path)) return turn(call, signal);
    if (call.path.startsWith('/threads/t?')) return json({ thread, messages: stored, hasMore: false });
    if (call.path.startsWith('/threads')) return json({ threads: [{ ...thread, title: 'Titled' }] });
    return failure(404, 'NOT_FOUND');
  });
  const host = testHost();
  const connection = new ConnectionController(
    host,
    () => en,
    () => {},
    () => {},
  );
  const persistence = new ThreadPersistence(host, () => {});
  let controller: TurnController | undefined;
  const story = new StoryController(host, connection, persistence, () => controller?.stop());
  const restarts: number[] = [];
  controller = new TurnController(
    host,
    connection,
    story,
    () => en,
    async () => {
      restarts.push(1);
    },
  );
  await connection.connect();
  await story.openThread('t');
  const messages: StoryMessage[] = [];
  host.addEventListener('dreamdeck-message', (event) => messages.push((event as CustomEvent).detail.message));
  return { host, connection, story, controller, server, messages, restarts };
}

describe('TurnController', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('sends the player’s text and streams the reply into the story', async () => {
    const { story, controller, server, messages } = await turns(() => eventStream(narration('r1', 'The door creaks.')));
    const running = controller.send('  I push the door.  ');
    expect(controller.busy).toBe(true);
    expect(controller.statusText).toBe(en.thinking);
    expect(story.messages[0]).toMatchObject({ role: 'user', content: 'I push the door.', status: 'complete' });
    await running;
    expect(server.calls.find((call) => call.path === '/threads/t/turns')?.body).toEqual({ text: 'I push the door.' });
    expect(story.messages.map((item) => [item.role, item.content])).toEqual([
      ['user', 'I push the door.'],
      ['assistant', 'The door creaks.'],
    ]);
    expect(controller.busy).toBe(false);
    expect(controller.statusText).toBe('');
    expect(controller.announcement).toBe('The door creaks.');
    expect(messages.map((item) => item.content)).toEqual(['I push the door.', 'The door creaks.']);
    // the thread had no title: the list is read again after the turn
    await until(() => story.thread?.title === 'Titled');
    // nothing happens for empty text or while a turn runs
    await controller.send('   ');
    expect(messages).toHaveLength(2);
  });

  it('stops a running turn; the partial reply stays, marked aborted', async () => {
    const { story, controller } = await turns((_call, signal) =>
      eventStream(narration('r1', 'Once upon').slice(0, 3), { hold: true, signal }),
    );
    const running = controller.send('Tell me a long tale.');
    await until(() => story.messages[1]?.content === 'Once upon');
    controller.stop();
    await running;
    expect(story.messages[1]).toMatchObject({ content: 'Once upon', status: 'aborted' });
    expect(controller.busy).toBe(false);
  });

  it('shows status and interrupts, and answers an interrupt on the resume route', async () => {
    const events: TurnEvent[] = [
      { type: 'status', text: 'Painting scene 1 of 2' },
      { type: 'interrupt', interruptId: 'i1', kind: 'approve-storyboard', prompt: 'Paint these?', options: ['a dock'] },
      { type: 'turn-end', turnId: 'x', status: 'interrupted' },
    ];
    const { story, controller, server } = await turns((call) =>
      call.path.endsWith('/resume') ? eventStream(narration('r2', 'Painted.')) : eventStream(events),
    );
    const statuses: string[] = [];
    const set = controller.set.bind(controller);
    controller.set = (patch) => {
      if (patch.statusText) statuses.push(patch.statusText);
      set(patch);
    };
    await controller.send('/storyboard');
    expect(statuses).toEqual([en.thinking, 'Painting scene 1 of 2']);
    expect(story.interrupt).toMatchObject({ interruptId: 'i1', prompt: 'Paint these?' });
    await controller.answer(true);
    expect(server.calls.find((call) => call.path.endsWith('/resume'))).toMatchObject({
      body: { interruptId: 'i1', value: true },
    });
    expect(story.interrupt).toBeUndefined();
    expect(story.messages.at(-1)?.content).toBe('Painted.');
  });

  it('regenerates a reply on its route with an empty body', async () => {
    const { story, controller, server } = await turns(
      () => eventStream(narration('r1', 'Another take.')),
      [reply('r1', 'First take.')],
    );
    await controller.regenerate('r1');
    expect(server.calls.find((call) => call.path.endsWith('/regenerate'))).toMatchObject({
      method: 'POST',
      path: '/threads/t/messages/r1/regenerate',
      body: {},
    });
    expect(story.messages).toHaveLength(1);
    expect(story.messages[0]?.content).toBe('Another take.');
  });

  it('shows an error event in the banner', async () => {
    const { connection, controller } = await turns(() =>
      eventStream([
        { type: 'error', code: 'MODEL_UNAVAILABLE', message: 'The model is resting.', retryable: true },
        { type: 'turn-end', turnId: 'x', status: 'error' },
      ]),
    );
    await controller.send('Hello?');
    expect(connection.error).toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: 'The model is resting.',
      retry: true,
    });
  });

  it('retries a refused turn: the kept player message gets a new reply, not a second copy', async () => {
    let attempt = 0;
    const stored: StoryMessage[] = [];
    const { story, connection, controller, server } = await turns(() => {
      attempt++;
      if (attempt === 1) {
        // the server kept the player's message, then the model failed
        stored.push({ ...reply('p1', 'Hello?'), role: 'user', kind: 'player' });
        return failure(503, 'MODEL_UNAVAILABLE', 'Try again.');
      }
      return eventStream(narration('r1', 'Welcome back.'));
    }, stored);
    await controller.send('Hello?');
    expect(connection.error).toMatchObject({ code: 'MODEL_UNAVAILABLE', retry: true });
    await controller.retry();
    expect(connection.error).toBeUndefined();
    const turnCalls = server.calls.filter((call) => call.path === '/threads/t/turns');
    expect(turnCalls).toHaveLength(2);
    // the reloaded story holds the kept message once, then the reply
    expect(story.messages.map((item) => item.content)).toEqual(['Hello?', 'Welcome back.']);
  });

  it('starts over on retry when there is no thread yet', async () => {
    const { story, controller, restarts } = await turns(() => eventStream([]));
    story.set({ thread: undefined });
    await controller.retry();
    expect(restarts).toEqual([1]);
  });

  it('a stream that drops mid-turn is rejoined after its last event: the reply is shown whole, once', async () => {
    const events = narration('r1', 'Once ');
    const rest: TurnEvent[] = [
      { type: 'message-delta', messageId: 'r1', text: 'upon a time.' },
      { type: 'message-end', message: reply('r1', 'Once upon a time.') },
      { type: 'turn-end', turnId: 'x', status: 'complete' },
    ];
    let rejoinedAfter: string | null = null;
    const { story, controller, connection, server } = await turns(() =>
      numberedStream(
        events.slice(0, 3).map((event, index) => [index + 1, event]),
        true,
      ),
    );
    // the rejoin route replays from the id it was given, the last seen event included
    const stubbed = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).endsWith('/turns/x/events')) return stubbed(input, init);
      rejoinedAfter = new Headers(init?.headers).get('last-event-id');
      return numberedStream([[3, events[2]!], ...rest.map((event, index): [number, TurnEvent] => [index + 4, event])]);
    });
    await controller.send('Tell me a tale.');
    expect(server.calls.filter((call) => call.path === '/threads/t/turns')).toHaveLength(1);
    expect(rejoinedAfter).toBe('3');
    expect(story.messages[1]).toMatchObject({ content: 'Once upon a time.', status: 'complete' });
    expect(story.messages).toHaveLength(2);
    expect(connection.error).toBeUndefined();
    expect(controller.busy).toBe(false);
  });

  it('Stop asks the server to stop the turn on its route, then stops reading', async () => {
    const { story, controller, server } = await turns((call, signal) =>
      call.method === 'POST' && call.path.endsWith('/turns')
        ? eventStream(narration('r1', 'Once upon').slice(0, 3), { hold: true, signal })
        : new Response(null, { status: 204 }),
    );
    const running = controller.send('Tell me a long tale.');
    await until(() => story.messages[1]?.content === 'Once upon');
    controller.stop();
    await running;
    expect(server.calls.find((call) => call.path === '/threads/t/turns/x/stop')?.method).toBe('POST');
    expect(story.messages[1]).toMatchObject({ status: 'aborted' });
  });
});

/** A turn's event stream with `id:` lines; with `drop`, it breaks off after them (a network failure). */
function numberedStream(events: Array<[number, TurnEvent]>, drop = false): Response {
  const encoder = new TextEncoder();
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) {
        controller.error(new TypeError('network error'));
        return;
      }
      sent = true;
      for (const [id, event] of events)
        controller.enqueue(encoder.encode(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
      if (!drop) controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}
