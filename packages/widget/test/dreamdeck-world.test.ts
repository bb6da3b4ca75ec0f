// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DreamdeckWorld } from '../src/dreamdeck-world.js';
import '../src/dreamdeck-world.js';

/** A World panel in `language`, with its lazily loaded Documents tab open. */
async function documentsTab(language: string) {
  const world = document.createElement('dreamdeck-world') as DreamdeckWorld;
  world.language = language;
  world.threadId = 'thr_1';
  document.body.append(world);
  await world.updateComplete;
  const root = world.shadowRoot!;
  // the Documents tab appears once dreamdeck-knowledge-docs.js has loaded
  await expect.poll(() => root.querySelectorAll('[role="tab"]').length).toBe(4);
  root.querySelectorAll<HTMLButtonElement>('[role="tab"]')[3]!.click();
  await world.updateComplete;
  const docs = root.querySelector('dreamdeck-knowledge-docs')!;
  await docs.updateComplete;
  return { world, root, docs };
}

describe('<dreamdeck-world>', () => {
  afterEach(() => document.body.replaceChildren());

  it('hands its language to the lazily loaded documents list, which speaks it', async () => {
    const { world, root, docs } = await documentsTab('de');
    expect(root.querySelectorAll('[role="tab"]')[3]!.textContent).toBe('Dokumente');
    expect(docs.language).toBe('de');
    expect(docs.threadId).toBe('thr_1');
    const text = () => docs.shadowRoot!.textContent ?? '';
    expect(text()).toContain('Dokument hinzufügen');
    expect(docs.shadowRoot!.querySelector('section')!.getAttribute('aria-label')).toBe('Dokumente');
    // the chat's language changes: the open list follows
    world.language = 'en';
    await world.updateComplete;
    await docs.updateComplete;
    expect(docs.language).toBe('en');
    expect(text()).toContain('Add a document');
    expect(text()).not.toContain('Dokument hinzufügen');
  });

  it('a language without its own strings falls back to English in both', async () => {
    const { root, docs } = await documentsTab('fr-FR');
    expect(root.querySelectorAll('[role="tab"]')[3]!.textContent).toBe('Documents');
    expect(docs.language).toBe('fr-FR');
    expect(docs.shadowRoot!.textContent).toContain('Add a document');
  });
});
