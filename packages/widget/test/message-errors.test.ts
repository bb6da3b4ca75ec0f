// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import type { DreamdeckMessage } from '../src/dreamdeck-message.js';
import '../src/dreamdeck-message.js';
import { loadMarkdown } from '../src/markdown.js';
import type { StoryMessage } from '../src/protocol.js';

async function show(message: StoryMessage): Promise<ShadowRoot> {
  const element = document.createElement('dreamdeck-message') as DreamdeckMessage;
  element.message = message;
  document.body.append(element);
  await element.updateComplete;
  return element.shadowRoot!;
}

// issue 21: `/roll banana`'s answer appeared twice, as plain text and again in red with raw backticks

// the markdown lexer loads on demand (its own file in the script-tag build)
beforeAll(() => loadMarkdown());

describe('<dreamdeck-message> errors', () => {
  it("a command's error answer is said once, in red, its `code` rendered", async () => {
    const text = '`banana` is not dice notation I understand. Try `2d6`.';
    const root = await show({
      id: 'm1',
      threadId: 't',
      role: 'tool',
      kind: 'dice',
      content: text,
      parts: [{ type: 'error', code: 'INVALID_INPUT', message: text }],
      createdAt: '2026-01-01T00:00:00Z',
      status: 'complete',
    });
    const bubble = root.querySelector('[part="bubble"]')!;
    expect(bubble.textContent?.match(/is not dice notation/g)).toHaveLength(1);
    expect(bubble.textContent).not.toContain('`');
    expect(root.querySelector('[part="content"]')?.classList.contains('error')).toBe(true);
    expect(root.querySelectorAll('[part="content"] code')).toHaveLength(2);
  });

  it('a reply cut short keeps its text and shows the error under it, markdown rendered', async () => {
    const root = await show({
      id: 'm2',
      threadId: 't',
      role: 'assistant',
      kind: 'narration',
      content: 'The bell tolls and',
      parts: [{ type: 'error', code: 'MODEL_UNAVAILABLE', message: 'The model is `resting`.' }],
      createdAt: '2026-01-01T00:00:00Z',
      status: 'error',
    });
    expect(root.querySelector('[part="content"]')?.textContent?.trim()).toBe('The bell tolls and');
    const note = root.querySelector('.note.error')!;
    expect(note.textContent?.trim()).toBe('The model is resting.');
    expect(note.querySelector('code')?.textContent).toBe('resting');
  });
});
