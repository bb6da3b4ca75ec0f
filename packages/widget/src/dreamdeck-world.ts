import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { DreamdeckClient } from './api-client.js';
import { panelStyles } from './chat-styles.js';
import { apiPath, emit } from './events.js';
import type { DreamdeckStrings } from './strings-types.js';
import { controlStyles } from './styles.js';
import { type WorldStrings, worldStrings } from './world-strings.js';
import { worldStyles } from './world-styles.js';

/** A lorebook entry as `GET /lore` lists it. */
export interface WorldLoreEntry {
  /** Its id (`lore_…`). */
  id: string;
  /** The words that call it up. */
  keys: string[];
  /** What the GM reads. */
  content: string;
  /** Always in the prompt. */
  constant?: boolean;
  /** Higher first when the budget is short. */
  priority?: number;
  /** `user`: every story; `thread`: one story. */
  scope: 'user' | 'thread';
  /** The story of a `thread` entry. */
  threadId?: string;
  /** Typed in, from a card, or from a world-info file. */
  source?: 'manual' | 'card' | 'world-info';
}

/** The World panel's tabs. */
export type WorldTab = 'lore' | 'note' | 'import' | 'documents';

/**
 * The World panel: what the game master knows of the player's world. Tabs: **Lore** (the lorebook:
 * entries with their keys, for every story or this one; add, edit, remove), **Author's note** (the
 * open story's note), **Import** (a character card or a SillyTavern world-info file) and
 * **Documents** (the knowledge base's `<dreamdeck-knowledge-docs>`, shown when that element is
 * available). `<dreamdeck-chat>` loads it on demand (its own file) when the player opens World, as
 * its `world` part. Everything a card or an entry holds is shown as text, never as HTML.
 *
 * @fires dreamdeck-world-change - lore, the author's note or the personas changed (`detail: { what }`)
 *
 * @csspart lore-item - one lore entry
 * @csspart tab - a tab button
 */
export class DreamdeckWorld extends LitElement {
  /** Shadow-root styles (colours come from the chat's theme). */
  static override styles = [controlStyles, panelStyles, worldStyles];

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    threadId: { attribute: 'thread-id' },
    language: {},
    chatStrings: { attribute: false },
    tab: { state: true, attribute: false },
    entries: { state: true, attribute: false },
    note: { state: true, attribute: false },
    editing: { state: true, attribute: false },
    status: { state: true, attribute: false },
    error: { state: true, attribute: false },
    documents: { state: true, attribute: false },
  };

  /** The chat's API client (signed in). */
  client: DreamdeckClient | undefined;
  /** The open story (the author's note and "this story" entries need one). */
  threadId = '';
  /** The language of the panel's own strings (`en`, `de`; others fall back to English). */
  language = 'en';

  private tab: WorldTab = 'lore';
  private entries: WorldLoreEntry[] | undefined;
  private note: string | undefined;
  private editing: string | undefined;
  private status: string | undefined;
  private error: string | undefined;
  private documents = false;

  /** The chat's strings, handed on to the documents list. */
  chatStrings: DreamdeckStrings | undefined;

  /** The panel's strings in its language. */
  get text(): WorldStrings {
    return worldStrings(this.language);
  }

  override connectedCallback() {
    super.connectedCallback();
    // the knowledge base's documents: a tab only when its element exists (or its file loads)
    if (customElements.get('dreamdeck-knowledge-docs')) this.documents = true;
    // its own file beside this one (the script-tag build keeps the import a request for it)
    else
      void import('./dreamdeck-knowledge-docs.js').then(
        () => {
          this.documents = Boolean(customElements.get('dreamdeck-knowledge-docs'));
        },
        () => {},
      );
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('threadId') || changed.has('client')) void this.reload();
  }

  /** Reads the lore entries and the author's note again. */
  async reload(): Promise<void> {
    const { client, threadId } = this;
    if (!client) return;
    try {
      const [list, note] = await Promise.all([
        client.json<{ entries: WorldLoreEntry[] }>(
          'GET',
          threadId ? `/lore?threadId=${encodeURIComponent(threadId)}` : '/lore',
        ),
        threadId
          ? client.json<{ text: string | null }>('GET', apiPath('threads', threadId, 'authors-note'))
          : undefined,
      ]);
      if (threadId !== this.threadId) return;
      this.entries = list.entries;
      this.note = note?.text ?? '';
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  async #run(what: string, request: () => Promise<unknown>, done?: string) {
    this.status = undefined;
    this.error = undefined;
    try {
      await request();
      this.editing = undefined;
      this.error = undefined;
      if (done) this.status = done;
      emit(this, 'dreamdeck-world-change', { what });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    await this.reload();
  }

  /** An entry's fields from a form; `scope` only when adding. */
  #fields(form: HTMLFormElement, adding: boolean) {
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const constant = (form.elements.namedItem('constant') as HTMLInputElement | null)?.checked ?? false;
    const priority = Number.parseInt(value('priority'), 10);
    const keys = value('keys')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean);
    return {
      keys,
      content: value('content'),
      constant,
      ...(Number.isFinite(priority) && { priority }),
      ...(adding && value('scope') === 'thread' && this.threadId && { threadId: this.threadId }),
    };
  }

  #add(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = this.#fields(form, true);
    if (!body.content.trim() || !this.client) return;
    void this.#run('lore', async () => {
      await this.client!.json('POST', '/lore', body);
      form.reset();
    });
  }

  #save(event: SubmitEvent, entry: WorldLoreEntry) {
    event.preventDefault();
    const body = this.#fields(event.target as HTMLFormElement, false);
    if (!this.client) return;
    void this.#run('lore', () => this.client!.json('PATCH', apiPath('lore', entry.id), body));
  }

  #remove(entry: WorldLoreEntry) {
    if (!this.client) return;
    void this.#run('lore', () => this.client!.json('DELETE', apiPath('lore', entry.id)));
  }

  #saveNote(event: Event, clear = false) {
    event.preventDefault();
    const form = (event.target as HTMLElement).closest('form') as HTMLFormElement;
    const area = form.elements.namedItem('note') as HTMLTextAreaElement;
    const text = clear ? null : area.value.trim() || null;
    if (!this.client || !this.threadId) return;
    void this.#run(
      'authors-note',
      () => this.client!.json('PUT', apiPath('threads', this.threadId, 'authors-note'), { text }),
      this.text.saved,
    );
  }

  /** Sends the picked file as it is: the server tells a card from world info by its bytes. */
  async #import(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    const client = this.client;
    if (!file || !client) return;
    const s = this.text;
    this.status = s.importing;
    this.error = undefined;
    try {
      await client.ensureToken({ check: false });
      const response = await fetch(`${client.endpoint}/lore/import`, {
        method: 'POST',
        headers: {
          'content-type': file.type || 'application/octet-stream',
          ...(client.token && { authorization: `Bearer ${client.token}` }),
        },
        body: file,
      });
      const answer = (await response.json()) as {
        kind?: 'card' | 'world-info';
        persona?: { name: string };
        entries?: unknown[];
        error?: { message: string };
      };
      if (!response.ok) throw new Error(answer.error?.message ?? response.statusText);
      const count = String(answer.entries?.length ?? 0);
      this.status = (answer.kind === 'card' ? s.importedCard : s.importedWorld)
        .replace('{name}', answer.persona?.name ?? '')
        .replace('{count}', count);
      emit(this, 'dreamdeck-world-change', { what: answer.kind === 'card' ? 'personas' : 'lore' });
    } catch (error) {
      this.status = undefined;
      this.error = error instanceof Error ? error.message : String(error);
    }
    input.value = '';
    await this.reload();
  }

  #entryForm(entry: WorldLoreEntry | undefined) {
    const s = this.text;
    const adding = !entry;
    return html`<form @submit=${(event: SubmitEvent) => (entry ? this.#save(event, entry) : this.#add(event))}>
      <input name="keys" aria-label=${s.keys} placeholder=${s.keysHint} .value=${entry?.keys.join(', ') ?? ''} />
      <textarea name="content" aria-label=${s.content} placeholder=${s.content} maxlength="8000"
        .value=${entry?.content ?? ''}></textarea>
      <div>
        <label><input type="checkbox" name="constant" .checked=${entry?.constant ?? false} /> ${s.constant}</label>
        <label>${s.priority} <input type="number" name="priority" min="-10000" max="10000" step="1"
          .value=${String(entry?.priority ?? 0)} /></label>
        ${
          adding && this.threadId
            ? html`<select name="scope" aria-label=${s.thisStory}>
                <option value="user">${s.everyStory}</option>
                <option value="thread">${s.thisStory}</option>
              </select>`
            : nothing
        }
        <button type="submit">${adding ? s.add : s.save}</button>
        ${
          adding
            ? nothing
            : html`<button type="button" @click=${() => {
                this.editing = undefined;
              }}>${s.cancel}</button>`
        }
      </div>
    </form>`;
  }

  #entry(entry: WorldLoreEntry) {
    const s = this.text;
    if (this.editing === entry.id) return html`<li part="lore-item">${this.#entryForm(entry)}</li>`;
    return html`<li part="lore-item">
      <div>
        <span class="keys">${entry.constant ? s.constant : entry.keys.join(', ')}</span>
        <small>(${entry.scope === 'thread' ? s.thisStory : s.everyStory}${entry.priority ? `, ${s.priority} ${entry.priority}` : ''})</small>
      </div>
      <span class="content">${entry.content}</span>
      <div>
        <button @click=${() => {
          this.editing = entry.id;
        }}>${s.edit}</button>
        <button @click=${() => this.#remove(entry)}>${s.remove}</button>
      </div>
    </li>`;
  }

  #body() {
    const s = this.text;
    switch (this.tab) {
      case 'lore':
        return html`${
          this.entries === undefined
            ? html`<p>${s.loading}</p>`
            : this.entries.length
              ? html`<ul>${this.entries.map((entry) => this.#entry(entry))}</ul>`
              : html`<p class="hint">${s.noLore}</p>`
        }
        ${this.#entryForm(undefined)}`;
      case 'note':
        return html`<form @submit=${(event: SubmitEvent) => this.#saveNote(event)}>
          <textarea name="note" aria-label=${s.authorsNote} placeholder=${s.authorsNoteHint} maxlength="1000"
            .value=${this.note ?? ''}></textarea>
          <div>
            <button type="submit" ?disabled=${!this.threadId}>${s.save}</button>
            <button type="button" ?disabled=${!this.threadId} @click=${(event: Event) => this.#saveNote(event, true)}>${s.clear}</button>
          </div>
        </form>`;
      case 'import':
        return html`<p class="hint">${s.importHint}</p>
          <input type="file" name="file" aria-label=${s.import}
            accept=".png,.json,image/png,application/json" @change=${this.#import} />`;
      case 'documents':
        return html`<dreamdeck-knowledge-docs .client=${this.client} .threadId=${this.threadId}
          .strings=${this.chatStrings} .language=${this.language}></dreamdeck-knowledge-docs>`;
    }
  }

  override render() {
    const s = this.text;
    const tabs: Array<[WorldTab, string]> = [
      ['lore', s.lore],
      ['note', s.authorsNote],
      ['import', s.import],
      ...(this.documents ? ([['documents', s.documents]] as Array<[WorldTab, string]>) : []),
    ];
    return html`<section aria-label=${s.world}>
      <div role="tablist">
        ${tabs.map(
          ([tab, label]) => html`<button role="tab" part="tab" aria-selected=${this.tab === tab ? 'true' : 'false'}
            @click=${() => {
              this.tab = tab;
              this.status = undefined;
            }}>${label}</button>`,
        )}
      </div>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.status ? html`<p role="status">${this.status}</p>` : nothing}
      <div role="tabpanel">${this.#body()}</div>
    </section>`;
  }
}

if (!customElements.get('dreamdeck-world')) customElements.define('dreamdeck-world', DreamdeckWorld);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-world': DreamdeckWorld;
  }
}
