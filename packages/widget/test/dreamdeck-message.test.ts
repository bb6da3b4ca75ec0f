// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { DreamdeckMessage } from '../src/dreamdeck-message.js';
import '../src/dreamdeck-message.js';
import type { StoryMessage } from '../src/protocol.js';

function reply(id: string, content: string, alternatives: string[] = []): StoryMessage {
  const createdAt = '2026-01-01T00:00:00Z';
  return {
    id,
    threadId: 't',
    role: 'assistant',
    kind: 'narration',
    content,
    createdAt,
    status: 'complete',
    alternatives: alternatives.map((text) => ({ content: text, createdAt, status: 'complete' })),
  };
}

describe('<dreamdeck-message>', () => {
  // the chat re-uses message elements by position (no keyed directive): a rating comment box or an
  // earlier version shown for one reply must not carry over to the reply shown next in that element
  it('forgets the comment box when it is given another message; the arrows ask for a version', async () => {
    const element = document.createElement('dreamdeck-message') as DreamdeckMessage;
    element.message = reply('m1', 'First reply', ['Older take']);
    document.body.append(element);
    await element.updateComplete;
    const root = element.shadowRoot!;
    const content = () => root.querySelector('[part="content"]')?.textContent?.trim();
    const button = (label: string) => root.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;

    // the arrows ask the chat for another version (the server keeps which one shows: issue 21)
    const asked: unknown[] = [];
    element.addEventListener('dreamdeck-select', (event) => asked.push((event as CustomEvent).detail));
    expect(root.querySelector('[part="actions"] span')?.textContent).toBe('2/2');
    button('Previous version').click();
    expect(asked).toEqual([{ messageId: 'm1', index: 0 }]);
    element.message = { ...reply('m1', 'Older take', ['First reply']), alternativeIndex: 0 };
    await element.updateComplete;
    expect(content()).toBe('Older take');
    expect(root.querySelector('[part="actions"] span')?.textContent).toBe('1/2');
    expect(button('Previous version').disabled).toBe(true);
    button('Next version').click();
    expect(asked.at(-1)).toEqual({ messageId: 'm1', index: 1 });
    button('Good reply').click();
    await element.updateComplete;
    expect(root.querySelector('input[name="comment"]')).not.toBeNull();

    element.message = reply('m2', 'Second reply');
    element.feedback = 0;
    await element.updateComplete;
    expect(content()).toBe('Second reply');
    expect(root.querySelector('input[name="comment"]')).toBeNull();
    expect(button('Good reply').getAttribute('aria-pressed')).toBe('false');
    element.remove();
  });
});
