import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { DreamdeckClient } from './api-client.js';
import { panelStyles } from './chat-styles.js';
import { apiPath, emit } from './events.js';
import type { DreamdeckStrings } from './strings-types.js';
import { controlStyles } from './styles.js';
import { readTurnEvents } from './turn-events.js';

/** A document as `GET /knowledge` lists it. */
export interface KnowledgeDocumentInfo {
  /** The document's id (`DELETE /knowledge/:id` removes it). */
  id: string;
  /** The title it was added under (the uploader's text: shown as plain text). */
  title: string;
  /** `text/plain`, `text/markdown` or `application/pdf`. */
  mimeType: string;
  /** The owner; absent for a global document (the player cannot remove it). */
  userId?: string;
  /** The story it belongs to; absent for a global or user-wide document. */
  threadId?: string;
  /** How many passages it was split into. */
  chunks: number;
  /** Size of the added file in bytes. */
  bytes: number;
  /** When it was first added (ISO 8601). */
  createdAt: string;
  /** When it was last replaced (ISO 8601). */
  updatedAt: string;
}

/** The documents list's strings, per language (English and German built in). */
export interface KnowledgeDocsStrings {
  /** Label of the documents section. */
  documents: string;
  /** The hint above the list: which files it takes and what the GM does with them. */
  hint: string;
  /** Shown while the list loads. */
  loading: string;
  /** Shown when there are no documents. */
  none: string;
  /** The upload button. */
  upload: string;
  /** Label of the file input. */
  file: string;
  /** Label of the "who sees it" choice of an upload. */
  scope: string;
  /** Scope choice and list label: only the open story. */
  thisStory: string;
  /** Scope choice and list label: all the player's stories. */
  everyStory: string;
  /** List label of a global document. */
  everyone: string;
  /** The Remove button of the player's own documents. */
  remove: string;
  /** A document's passage count (`{count}` is filled in). */
  passages: string;
  /** Status after an upload (`{title}` and `{count}` are filled in). */
  added: string;
}

const EN: KnowledgeDocsStrings = {
  documents: 'Documents',
  hint: 'Add .txt, .md or .pdf files (up to 20 MB). The GM draws on them and cites them; ask with /lore.',
  loading: 'Loading…',
  none: 'No documents yet.',
  upload: 'Add a document',
  file: 'File (.txt, .md, .pdf)',
  scope: 'Who sees it',
  thisStory: 'This story',
  everyStory: 'All my stories',
  everyone: 'everyone',
  remove: 'Remove',
  passages: '{count} passages',
  added: 'Added “{title}” ({count} passages).',
};

const DE: KnowledgeDocsStrings = {
  documents: 'Dokumente',
  hint: '.txt-, .md- oder .pdf-Dateien (bis 20 MB). Der Spielleiter nutzt und zitiert sie; frag mit /lore.',
  loading: 'Lädt…',
  none: 'Noch keine Dokumente.',
  upload: 'Dokument hinzufügen',
  file: 'Datei (.txt, .md, .pdf)',
  scope: 'Wer es sieht',
  thisStory: 'Diese Geschichte',
  everyStory: 'Alle meine Geschichten',
  everyone: 'für alle',
  remove: 'Entfernen',
  passages: '{count} Abschnitte',
  added: '„{title}“ hinzugefügt ({count} Abschnitte).',
};

/** What a file's name says its type is, when the browser gives none (`.md` often has none). */
function typeOf(file: File): string {
  if (file.type && file.type !== 'application/octet-stream') return file.type;
  if (/\.pdf$/i.test(file.name)) return 'application/pdf';
  if (/\.(md|markdown)$/i.test(file.name)) return 'text/markdown';
  return 'text/plain';
}

/**
 * The knowledge base's documents (`<dreamdeck-knowledge-docs>`): the documents the player sees in
 * the open story (theirs, the story's and global ones), each with Remove when it is theirs, and an
 * upload (`.txt`, `.md`, `.pdf`) for this story or all their stories, with progress while a large
 * file is read. Its own small file, loaded on demand (the World panel shows it as its Documents
 * tab); reads and writes through the chat's API client (`/knowledge`). Titles are shown as text.
 *
 * @fires dreamdeck-knowledge-change - a document was added or removed (`detail: { documentId }`)
 *
 * @csspart document - one document
 */
export class DreamdeckKnowledgeDocs extends LitElement {
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
      li > span {
        flex: 1;
        overflow-wrap: anywhere;
      }
      small,
      p {
        color: var(--_muted);
        margin: 0 0 4px;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    threadId: { attribute: 'thread-id' },
    strings: { attribute: false },
    language: {},
    documents: { state: true, attribute: false },
    status: { state: true, attribute: false },
    error: { state: true, attribute: false },
    busy: { state: true, attribute: false },
  };

  /** The chat's API client (signed in). */
  client: DreamdeckClient | undefined;
  /** The open story. */
  threadId = '';
  /** The chat's strings (for the language's shared words). */
  strings: DreamdeckStrings | undefined;
  /** The language of the element's own strings (`en`, `de`; others fall back to English). */
  language = 'en';

  private documents: KnowledgeDocumentInfo[] | undefined;
  private status: string | undefined;
  private error: string | undefined;
  private busy = false;

  /** The element's strings in its language. */
  get text(): KnowledgeDocsStrings {
    return this.language.toLowerCase().startsWith('de') ? DE : EN;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('threadId') || changed.has('client')) void this.reload();
  }

  /** Reads the list again. */
  async reload(): Promise<void> {
    const { client, threadId } = this;
    if (!client) return;
    try {
      const query = threadId ? `?threadId=${encodeURIComponent(threadId)}` : '';
      const answer = await client.json<{ documents: KnowledgeDocumentInfo[] }>('GET', `/knowledge${query}`);
      if (threadId !== this.threadId) return;
      this.documents = answer.documents;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** Uploads a file as the raw body, with progress from the server's `status` events. */
  async #upload(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.elements.namedItem('file') as HTMLInputElement;
    const scope = (form.elements.namedItem('scope') as HTMLSelectElement | null)?.value;
    const file = input.files?.[0];
    const client = this.client;
    if (!file || !client) return;
    const t = this.text;
    const title = file.name.replace(/\.(txt|md|markdown|pdf)$/i, '') || file.name;
    const query = new URLSearchParams({ title });
    if (scope === 'thread' && this.threadId) query.set('threadId', this.threadId);
    this.busy = true;
    this.error = undefined;
    this.status = t.loading;
    try {
      await client.ensureToken({ check: false });
      const response = await fetch(`${client.endpoint}/knowledge?${query}`, {
        method: 'POST',
        headers: {
          'content-type': typeOf(file),
          accept: 'text/event-stream',
          ...(client.token && { authorization: `Bearer ${client.token}` }),
        },
        body: file,
      });
      if (!response.ok || !response.body) {
        const answer = (await response.json().catch(() => ({}))) as { error?: { message: string } };
        throw new Error(answer.error?.message ?? response.statusText);
      }
      let failure: string | undefined;
      await readTurnEvents(response.body, (raw) => {
        const event = raw as unknown as {
          type: string;
          text?: string;
          message?: string;
          documentId?: string;
          chunks?: number;
        };
        if (event.type === 'status') this.status = event.text;
        else if (event.type === 'error') failure = event.message ?? 'error';
        else if (event.type === 'knowledge-added') {
          this.status = t.added.replace('{title}', title).replace('{count}', String(event.chunks ?? 0));
          emit(this, 'dreamdeck-knowledge-change', { documentId: event.documentId });
        }
      });
      if (failure) throw new Error(failure);
      form.reset();
    } catch (error) {
      this.status = undefined;
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
    await this.reload();
  }

  async #remove(document: KnowledgeDocumentInfo) {
    if (!this.client) return;
    try {
      await this.client.json('DELETE', apiPath('knowledge', document.id));
      this.status = undefined;
      emit(this, 'dreamdeck-knowledge-change', { documentId: document.id });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    await this.reload();
  }

  #item(document: KnowledgeDocumentInfo) {
    const t = this.text;
    const where = !document.userId ? t.everyone : document.threadId ? t.thisStory : t.everyStory;
    return html`<li part="document">
      <span>${document.title} <small>(${where}, ${t.passages.replace('{count}', String(document.chunks))})</small></span>
      ${document.userId ? html`<button @click=${() => this.#remove(document)}>${t.remove}</button>` : nothing}
    </li>`;
  }

  override render() {
    const t = this.text;
    const documents = this.documents;
    return html`<section aria-label=${t.documents}>
      <p>${t.hint}</p>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${
        documents === undefined
          ? html`<p>${t.loading}</p>`
          : documents.length
            ? html`<ul>${documents.map((document) => this.#item(document))}</ul>`
            : html`<p>${t.none}</p>`
      }
      <form @submit=${this.#upload}>
        <input type="file" name="file" aria-label=${t.file} accept=".txt,.md,.markdown,.pdf,text/plain,text/markdown,application/pdf" required ?disabled=${this.busy} />
        ${
          this.threadId
            ? html`<select name="scope" aria-label=${t.scope}>
              <option value="thread">${t.thisStory}</option>
              <option value="user">${t.everyStory}</option>
            </select>`
            : nothing
        }
        <button type="submit" ?disabled=${this.busy}>${t.upload}</button>
      </form>
      ${this.status ? html`<p role="status">${this.status}</p>` : nothing}
    </section>`;
  }
}

if (!customElements.get('dreamdeck-knowledge-docs'))
  customElements.define('dreamdeck-knowledge-docs', DreamdeckKnowledgeDocs);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-knowledge-docs': DreamdeckKnowledgeDocs;
  }
}
