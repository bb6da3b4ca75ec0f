// @vitest-environment happy-dom
import { LitElement } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComposerController } from '../src/composer-controller.js';
import type { ConnectionController } from '../src/connection-controller.js';
import type { PreferencesController } from '../src/preferences-controller.js';
import { en } from '../src/strings.js';
import type { TurnController } from '../src/turn-controller.js';

/** A Lit element that renders nothing but the composer, over stand-ins for the other controllers. */
class ComposerHost extends LitElement {
  readonly turns = { busy: false, send: vi.fn(async (_text: string) => {}), stop: vi.fn() };
  readonly connection = { inputMaxLength: 123 };
  readonly preferences = { flags: { flags: { diceRolling: false } as Record<string, boolean>, toggleable: [] } };
  readonly composer = new ComposerController(
    this,
    this.turns as unknown as TurnController,
    this.connection as unknown as ConnectionController,
    this.preferences as unknown as PreferencesController,
  );
  ready = true;
  loading = false;

  override render() {
    return this.composer.render(en, this.ready, this.loading);
  }
}
customElements.define('composer-host', ComposerHost);

async function composer() {
  const host = document.createElement('composer-host') as ComposerHost;
  document.body.append(host);
  await host.updateComplete;
  const root = host.shadowRoot!;
  const input = root.querySelector('textarea')!;
  const type = async (text: string) => {
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await host.updateComplete;
  };
  const press = async (key: string, options: KeyboardEventInit = {}) => {
    const event = new KeyboardEvent('keydown', { key, cancelable: true, ...options });
    input.dispatchEvent(event);
    await host.updateComplete;
    return event;
  };
  const hints = () => [...root.querySelectorAll('[part="hints"] code')].map((code) => code.textContent);
  return { host, root, input, type, press, hints };
}

describe('ComposerController', () => {
  afterEach(() => document.body.replaceChildren());

  it('takes its length limit from the connection, and is disabled until a thread is open', async () => {
    const { host, root, input } = await composer();
    expect(input.getAttribute('data-max-length')).toBe('123');
    expect(input.getAttribute('aria-label')).toBe(en.inputLabel);
    host.connection.inputMaxLength = 50;
    host.ready = false;
    host.requestUpdate();
    await host.updateComplete;
    expect(input.getAttribute('data-max-length')).toBe('50');
    expect(input.disabled).toBe(true);
    expect(root.querySelector<HTMLButtonElement>('[part="send-button"]')!.disabled).toBe(true);
    // loading keeps Send as it is (only the input waits)
    host.ready = true;
    host.loading = true;
    host.requestUpdate();
    await host.updateComplete;
    expect(input.disabled).toBe(true);
    expect(root.querySelector<HTMLButtonElement>('[part="send-button"]')!.disabled).toBe(false);
  });

  // Regression (issue 18): the textarea's maxlength counted UTF-16 units, so 4,000 emoji (which the
  // server, counting what a person sees, accepts) were cut at 2,000.
  it('counts the draft as the server does (an emoji is one), shows a counter near the limit, and will not send over it', async () => {
    const { host, root, type, press, input } = await composer();
    const counter = () => root.querySelector('[part="counter"]')?.textContent?.trim();
    const send = () => root.querySelector<HTMLButtonElement>('[part="send-button"]')!;
    expect(input.hasAttribute('maxlength')).toBe(false);
    await type('😀'.repeat(100));
    expect(counter()).toBeUndefined();
    await type('😀'.repeat(123));
    expect(counter()).toBe('123 / 123');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(send().disabled).toBe(false);
    await type('👩‍👩‍👧‍👦'.repeat(124));
    expect(counter()).toBe('124 / 123');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(send().disabled).toBe(true);
    await press('Enter');
    expect(host.turns.send).not.toHaveBeenCalled();
    await type('😀'.repeat(123));
    await press('Enter');
    expect(host.turns.send).toHaveBeenCalledWith('😀'.repeat(123));
  });

  it('sends on Enter, keeps Shift+Enter for a new line, and empties the input', async () => {
    const { host, type, press, input } = await composer();
    await type('I open the door.');
    expect((await press('Enter', { shiftKey: true })).defaultPrevented).toBe(false);
    expect(host.turns.send).not.toHaveBeenCalled();
    expect((await press('Enter')).defaultPrevented).toBe(true);
    expect(host.turns.send).toHaveBeenCalledWith('I open the door.');
    expect(host.composer.draft).toBe('');
    expect(input.value).toBe('');
    // blank text and a running turn send nothing
    await type('   ');
    await press('Enter');
    host.turns.busy = true;
    await type('Again');
    await press('Enter');
    expect(host.turns.send).toHaveBeenCalledTimes(1);
  });

  it('offers slash commands, hides those whose feature is off, and completes the first on Tab', async () => {
    const { host, type, press, hints, input } = await composer();
    await type('/r');
    // /roll is hidden: dice are off
    expect(hints()).toEqual(['/report', '/reset', '/remember']);
    host.preferences.flags.flags.diceRolling = true;
    await type('/R');
    expect(hints()).toEqual(['/roll', '/report', '/reset', '/remember']);
    expect((await press('Tab')).defaultPrevented).toBe(true);
    expect(input.value).toBe('/roll ');
    expect(hints()).toEqual([]);
    // Shift+Tab moves focus as usual
    await type('/r');
    expect((await press('Tab', { shiftKey: true })).defaultPrevented).toBe(false);
    // Esc clears a half-typed command, and only that
    expect(host.composer.clearCommand()).toBe(true);
    expect(host.composer.draft).toBe('');
    await type('plain text');
    expect(host.composer.clearCommand()).toBe(false);
    expect(host.composer.draft).toBe('plain text');
  });

  it('picks a hint with a click, and shows Stop instead of Send while a turn runs', async () => {
    const { host, root, type, input } = await composer();
    await type('/he');
    root.querySelector<HTMLButtonElement>('[part="hints"] button')!.click();
    await host.updateComplete;
    expect(input.value).toBe('/help ');
    host.turns.busy = true;
    host.requestUpdate();
    await host.updateComplete;
    expect(root.querySelector('[part="send-button"]')).toBeNull();
    root.querySelector<HTMLButtonElement>('[part="stop-button"]')!.click();
    expect(host.turns.stop).toHaveBeenCalledTimes(1);
  });
});
