// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DreamdeckSettings } from '../src/dreamdeck-settings.js';
import '../src/dreamdeck-settings.js';
import { de } from '../src/strings-de.js';

async function settings(configure: (element: DreamdeckSettings) => void) {
  const element = document.createElement('dreamdeck-settings');
  configure(element);
  document.body.append(element);
  await element.updateComplete;
  const changes: unknown[] = [];
  element.addEventListener('dreamdeck-preference-change', (event) => changes.push((event as CustomEvent).detail));
  return { element, root: element.shadowRoot!, changes };
}

describe('<dreamdeck-settings>', () => {
  afterEach(() => document.body.replaceChildren());

  it('offers the personas with the current one selected, and asks for a change', async () => {
    const { root, changes } = await settings((element) => {
      element.personas = [
        { id: 'gm', name: 'Storyteller', icon: '📜' },
        { id: 'noir', name: 'Noir' },
      ];
      element.persona = 'noir';
    });
    const select = root.querySelector('select')!;
    expect([...select.options].map((option) => [option.value, option.textContent?.trim(), option.selected])).toEqual([
      ['gm', '📜 Storyteller', false],
      ['noir', 'Noir', true],
    ]);
    select.value = 'gm';
    select.dispatchEvent(new Event('change'));
    expect(changes).toEqual([{ persona: 'gm' }]);
  });

  it('shows every flag with its name; only toggleable ones can be switched', async () => {
    const { root, changes } = await settings((element) => {
      element.flags = { flags: { diceRolling: true, webSearch: false, custom: true }, toggleable: ['webSearch'] };
      element.strings = de;
    });
    expect(root.querySelector('select')).toBeNull();
    const boxes = [...root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(
      boxes.map((box) => [box.name, box.checked, box.disabled, box.closest('label')?.textContent?.trim()]),
    ).toEqual([
      ['diceRolling', true, true, 'Würfel'],
      ['webSearch', false, false, 'Websuche'],
      ['custom', true, true, 'custom'],
    ]);
    expect(root.querySelector('legend')?.textContent).toBe('Funktionen');
    boxes[1]!.checked = true;
    boxes[1]!.dispatchEvent(new Event('change'));
    expect(changes).toEqual([{ flags: { webSearch: true } }]);
  });
});
