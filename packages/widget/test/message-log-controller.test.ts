// @vitest-environment happy-dom
import { LitElement } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionController } from '../src/connection-controller.js';
import { MessageLogController } from '../src/message-log-controller.js';
import type { PreferencesController } from '../src/preferences-controller.js';
import type { StoryImage, StoryMessage } from '../src/protocol.js';
import type { StoryController } from '../src/story-controller.js';
import { en } from '../src/strings.js';
import type { TurnController } from '../src/turn-controller.js';

const message = (id: string, role: StoryMessage['role'], persona?: string): StoryMessage =>
  ({
    id,
    role,
    kind: 'narration',
    content: id,
    status: 'complete',
    createdAt: new Date().toISOString(),
    ...(persona && { persona }),
  }) as StoryMessage;

/** A Lit element that renders nothing but the log, over stand-ins for the other controllers. */
class LogHost extends LitElement {
  threadId = 't1';
  readonly story = {
    messages: [message('m1', 'user'), message('m2', 'assistant', 'noir'), message('m3', 'user')],
    windowStart: 0,
    hasMore: false,
    interrupt: undefined,
    thread: { id: 't1', persona: 'gm' },
    feedback: new Map<string, 1 | -1>([['m2', 1]]),
    stickToBottom: true,
    keepScroll: undefined,
    showOlder: vi.fn(async () => {}),
    rate: vi.fn(async () => {}),
    control: vi.fn(async () => {}),
    storedId: vi.fn(async (id: string) => `stored-${id}`),
  };
  readonly turns = {
    busy: false,
    regenerate: vi.fn(async () => {}),
    continueReply: vi.fn(async () => {}),
    rerun: vi.fn(async () => {}),
  };
  readonly preferences = {
    personas: [
      { id: 'gm', name: 'Game master' },
      { id: 'noir', name: 'Noir' },
    ],
  };
  readonly chosen: string[] = [];
  readonly enlarged: StoryImage[] = [];
  readonly log = new MessageLogController(
    this,
    this.story as unknown as StoryController,
    this.turns as unknown as TurnController,
    { client: undefined } as unknown as ConnectionController,
    this.preferences as unknown as PreferencesController,
    { choose: (text) => this.chosen.push(text), enlarge: (image) => this.enlarged.push(image) },
  );

  override render() {
    return this.log.render(en, false);
  }
}
customElements.define('message-log-host', LogHost);

async function log() {
  const host = document.createElement('message-log-host') as LogHost;
  document.body.append(host);
  await host.updateComplete;
  const root = host.shadowRoot!;
  const messages = () =>
    [...root.querySelectorAll('dreamdeck-message')] as Array<
      HTMLElement & { message: StoryMessage; persona?: unknown }
    >;
  return { host, root, messages };
}

describe('MessageLogController', () => {
  afterEach(() => document.body.replaceChildren());

  it('renders the window of messages with their persona and rating; the newest is the one Tab stop', async () => {
    const { root, messages } = await log();
    expect(root.querySelector('.log')?.getAttribute('part')).toBe('messages');
    expect(messages().map((element) => element.message.id)).toEqual(['m1', 'm2', 'm3']);
    expect(messages().map((element) => element.getAttribute('tabindex'))).toEqual(['-1', '-1', '0']);
    // a message without a persona speaks as the story's
    expect(messages().map((element) => (element.persona as { name?: string } | undefined)?.name)).toEqual([
      'Game master',
      'Noir',
      'Game master',
    ]);
    expect((messages()[1] as unknown as { feedback: number }).feedback).toBe(1);
  });

  it('moves the Tab stop to the message focus went to, and the arrow keys, Home and End between messages', async () => {
    const { host, messages } = await log();
    const [first, second, third] = messages();
    first!.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    await host.updateComplete;
    expect(messages().map((element) => element.getAttribute('tabindex'))).toEqual(['0', '-1', '-1']);
    const press = (target: HTMLElement, key: string) => {
      const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
      target.dispatchEvent(event);
      return event;
    };
    expect(press(first!, 'ArrowDown').defaultPrevented).toBe(true);
    expect(host.shadowRoot!.activeElement).toBe(second);
    press(second!, 'End');
    expect(host.shadowRoot!.activeElement).toBe(third);
    press(third!, 'Home');
    expect(host.shadowRoot!.activeElement).toBe(first);
    expect(press(first!, 'a').defaultPrevented).toBe(false);
  });

  it('hands a message’s events to the story, the turns and the chat', async () => {
    const { host, messages } = await log();
    const fire = (element: HTMLElement, type: string, detail: unknown) =>
      element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    const reply = messages()[1]!;
    fire(reply, 'dreamdeck-feedback', { messageId: 'm2', value: -1, comment: 'meh' });
    expect(host.story.rate).toHaveBeenCalledWith('m2', -1, 'meh');
    fire(reply, 'dreamdeck-regenerate', { messageId: 'm2' });
    expect(host.turns.regenerate).toHaveBeenCalledWith('m2');
    fire(reply, 'dreamdeck-continue', {});
    expect(host.turns.continueReply).toHaveBeenCalled();
    fire(reply, 'dreamdeck-select', { messageId: 'm2', index: 0 });
    expect(host.story.control).toHaveBeenCalledWith({ action: 'select', messageId: 'm2', index: 0 });
    fire(reply, 'dreamdeck-choose', { text: 'Open the door' });
    const image = { url: 'https://x.test/a.png', prompt: 'a door' } as StoryImage;
    fire(reply, 'dreamdeck-enlarge', { image });
    expect(host.chosen).toEqual(['Open the door']);
    expect(host.enlarged).toEqual([image]);
    fire(messages()[0]!, 'dreamdeck-story-control', { action: 'rerun', messageId: 'm1', text: 'Again' });
    await vi.waitFor(() => expect(host.turns.rerun).toHaveBeenCalledWith('stored-m1', 'Again'));
    fire(messages()[0]!, 'dreamdeck-story-control', { action: 'rewind', messageId: 'm1' });
    await vi.waitFor(() =>
      expect(host.story.control).toHaveBeenCalledWith({ action: 'rewind', messageId: 'stored-m1' }),
    );
  });

  it('offers older messages while some are outside the window or on the server', async () => {
    const { host, root } = await log();
    expect(root.querySelector('.older')).toBeNull();
    host.story.hasMore = true;
    host.requestUpdate();
    await host.updateComplete;
    (root.querySelector('.older') as HTMLButtonElement).click();
    expect(host.story.showOlder).toHaveBeenCalledWith(root.querySelector('.log'));
  });
});
