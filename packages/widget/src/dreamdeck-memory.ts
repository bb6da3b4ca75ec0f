import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { DreamdeckClient } from './api-client.js';
import { panelStyles } from './chat-styles.js';
import { apiPath, emit } from './events.js';
import type { MemoryRecord } from './protocol.js';
import { type DreamdeckStrings, en } from './strings.js';
import { controlStyles } from './styles.js';

/**
 * The Memory panel: what the game master remembers in the open story (the player's own memories
 * and the story's), each with Edit and Forget, a field to add one, and the story's rolling summary.
 * `<dreamdeck-chat>` loads it on demand (its own small file) when the player opens Memory, as its
 * `memory` part. Reads and writes through the chat's API client (`/memories`, `/threads/:id/summary`).
 *
 * @fires dreamdeck-memory-change - a memory was added, edited or forgotten (`detail: { memoryId }`)
 *
 * @csspart memory-item - one remembered fact
 */
export class DreamdeckMemoryPanel extends LitElement {
  /** Shadow-root styles (colours come from the chat's theme). */
  static override styles = [
    controlStyles,
    panelStyles,
    css`
      ul {
        list-style: none;
        margin: 0 0 var(--_space);
        padding: 0;
        display: grid;
        gap: 4px;
      }
      li {
        display: flex;
        gap: 6px;
        align-items: center;
      }
      li > span,
      li > input {
        flex: 1;
      }
      small {
        color: var(--_muted);
      }
      form {
        display: flex;
        gap: 6px;
      }
      form input {
        flex: 1;
      }
      h3 {
        font-size: 1em;
        margin: var(--_space) 0 4px;
      }
      p {
        margin: 0;
        white-space: pre-wrap;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    threadId: { attribute: 'thread-id' },
    strings: { attribute: false },
    memories: { state: true, attribute: false },
    summary: { state: true, attribute: false },
    editing: { state: true, attribute: false },
    error: { state: true, attribute: false },
  };

  /** The chat's API client (signed in). */
  client: DreamdeckClient | undefined;
  /** The open story. */
  threadId = '';
  /** The strings to show. */
  strings: DreamdeckStrings = en;

  private memories: MemoryRecord[] | undefined;
  private summary: string | undefined;
  private editing: string | undefined;
  private error: string | undefined;

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('threadId') || changed.has('client')) void this.reload();
  }

  /** Reads the memories and the summary again (the chat calls it after each turn while the panel is open). */
  async reload(): Promise<void> {
    const { client, threadId } = this;
    if (!client || !threadId) return;
    try {
      const [list, summary] = await Promise.all([
        client.json<{ memories: MemoryRecord[] }>('GET', `/memories?threadId=${encodeURIComponent(threadId)}`),
        client.json<{ summary: { text: string } | null }>('GET', apiPath('threads', threadId, 'summary')),
      ]);
      if (threadId !== this.threadId) return;
      this.memories = list.memories;
      this.summary = summary.summary?.text;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** Runs a change, reloads, and tells the chat (its messages' "remembered" marks may change). */
  async #change(memoryId: string, request: () => Promise<unknown>) {
    try {
      await request();
      this.editing = undefined;
      emit(this, 'dreamdeck-memory-change', { memoryId });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    await this.reload();
  }

  #add(event: SubmitEvent) {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('fact') as HTMLInputElement;
    const text = input.value.trim();
    if (!text || !this.client) return;
    input.value = '';
    void this.#change('', () => this.client!.json('POST', '/memories', { text, threadId: this.threadId }));
  }

  #save(memory: MemoryRecord) {
    const input = this.renderRoot.querySelector<HTMLInputElement>(`input[data-id="${memory.id}"]`);
    const text = input?.value.trim();
    if (!text || !this.client) return;
    void this.#change(memory.id, () => this.client!.json('PATCH', apiPath('memories', memory.id), { text }));
  }

  #forget(memory: MemoryRecord) {
    if (!this.client) return;
    void this.#change(memory.id, () => this.client!.json('DELETE', apiPath('memories', memory.id)));
  }

  #item(memory: MemoryRecord) {
    const s = this.strings;
    if (this.editing === memory.id) {
      return html`<li part="memory-item">
        <input data-id=${memory.id} aria-label=${s.edit} .value=${memory.text} maxlength="500"
          @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && this.#save(memory)} />
        <button @click=${() => this.#save(memory)}>${s.save}</button>
        <button @click=${() => {
          this.editing = undefined;
        }}>${s.cancel}</button>
      </li>`;
    }
    return html`<li part="memory-item">
      <span>${memory.text} ${memory.scope === 'user' ? html`<small>(${s.everyStory})</small>` : nothing}</span>
      <button @click=${() => {
        this.editing = memory.id;
      }}>${s.edit}</button>
      <button @click=${() => this.#forget(memory)}>${s.forget}</button>
    </li>`;
  }

  override render() {
    const s = this.strings;
    const memories = this.memories;
    return html`<section aria-label=${s.memory}>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${
        memories === undefined
          ? html`<p>${s.loading}</p>`
          : memories.length
            ? html`<ul>${memories.map((memory) => this.#item(memory))}</ul>`
            : html`<p>${s.nothingRemembered}</p>`
      }
      <form @submit=${this.#add}>
        <input name="fact" aria-label=${s.rememberLabel} placeholder=${s.rememberLabel} maxlength="500" />
        <button type="submit">${s.remember}</button>
      </form>
      ${this.summary ? html`<h3>${s.storySoFar}</h3><p>${this.summary}</p>` : nothing}
    </section>`;
  }
}

if (!customElements.get('dreamdeck-memory')) customElements.define('dreamdeck-memory', DreamdeckMemoryPanel);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-memory': DreamdeckMemoryPanel;
  }
}
