// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DreamdeckThreadList } from '../src/dreamdeck-thread-list.js';
import '../src/dreamdeck-thread-list.js';
import type { ThreadRecord } from '../src/protocol.js';

const now = '2026-01-01T00:00:00Z';
const thread = (id: string, title: string, persona = 'gm'): ThreadRecord => ({
  id,
  userId: 'u',
  title,
  persona,
  createdAt: now,
  updatedAt: now,
});

async function list(options: Partial<Pick<DreamdeckThreadList, 'busy' | 'current'>> = {}) {
  const element = document.createElement('dreamdeck-thread-list');
  element.threads = [thread('a', 'Old title'), thread('b', '', 'noir')];
  element.personas = [{ id: 'noir', name: 'Noir', icon: '🕵' }];
  element.current = options.current ?? 'a';
  element.busy = options.busy ?? false;
  document.body.append(element);
  await element.updateComplete;
  const root = element.shadowRoot!;
  const events: Array<[string, unknown]> = [];
  for (const type of ['select', 'create', 'rename', 'delete'])
    element.addEventListener(`dreamdeck-thread-${type}`, (event) => {
      const custom = event as CustomEvent;
      expect(custom.bubbles && custom.composed).toBe(true);
      events.push([type, custom.detail]);
    });
  const button = (label: string) => root.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;
  return { element, root, events, button };
}

describe('<dreamdeck-thread-list>', () => {
  afterEach(() => document.body.replaceChildren());

  it('lists the stories, marks the open one, and asks to open or create one', async () => {
    const { root, events } = await list();
    const picks = [...root.querySelectorAll<HTMLButtonElement>('button.pick')];
    expect(picks.map((pick) => pick.textContent?.trim())).toEqual(['Old title', '🕵 Untitled story']);
    expect(picks.map((pick) => pick.getAttribute('aria-current'))).toEqual(['true', 'false']);
    expect(root.querySelector('nav')?.getAttribute('aria-label')).toBe('Stories');
    picks[1]!.click();
    root.querySelector<HTMLButtonElement>('button.primary')!.click();
    expect(events).toEqual([
      ['select', { threadId: 'b' }],
      ['create', {}],
    ]);
  });

  it('renames in place: the field takes focus with the title selected; Save asks with the trimmed title', async () => {
    const { element, root, events, button } = await list();
    button('Rename: Old title').click();
    await element.updateComplete;
    const input = root.querySelector<HTMLInputElement>('.editing input[name="title"]')!;
    expect(input.value).toBe('Old title');
    expect(root.activeElement).toBe(input);
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, 'Old title'.length]);
    input.value = '  The Drowned Bell ';
    input.form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await element.updateComplete;
    expect(events).toEqual([['rename', { threadId: 'a', title: 'The Drowned Bell' }]]);
    expect(root.querySelector('.editing')).toBeNull();
    // back on the story's button
    expect(root.activeElement).toBe(root.querySelector('[data-id="a"]'));

    // a blank title asks nothing
    button('Rename: Old title').click();
    await element.updateComplete;
    const again = root.querySelector<HTMLInputElement>('.editing input')!;
    again.value = '   ';
    again.form!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(events).toHaveLength(1);
  });

  it('asks before deleting, focus on Cancel; cancelEdit leaves the question', async () => {
    const { element, root, events, button } = await list();
    button('Delete: Untitled story').click();
    await element.updateComplete;
    const question = root.querySelector('.editing[role="group"]')!;
    expect(question.getAttribute('aria-label')).toBe('Delete “Untitled story” for good?');
    expect(root.activeElement?.textContent).toBe('Cancel');
    expect(element.cancelEdit()).toBe(true);
    await element.updateComplete;
    expect(root.querySelector('.editing')).toBeNull();
    expect(element.cancelEdit()).toBe(false);
    expect(events).toEqual([]);

    button('Delete: Untitled story').click();
    await element.updateComplete;
    [...root.querySelectorAll<HTMLButtonElement>('.editing button')]
      .find((item) => item.textContent === 'Delete')!
      .click();
    expect(events).toEqual([['delete', { threadId: 'b' }]]);
  });

  it('cannot delete the open story while its turn runs', async () => {
    const { button } = await list({ busy: true });
    expect(button('Delete: Old title').disabled).toBe(true);
    expect(button('Delete: Untitled story').disabled).toBe(false);
    expect(button('Rename: Old title').disabled).toBe(false);
  });
});
