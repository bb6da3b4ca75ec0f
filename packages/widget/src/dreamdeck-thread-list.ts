import { html, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { panelStyles, threadListStyles } from './chat-styles.js';
import { emit } from './events.js';
import { icon, iconButton, icons } from './icons.js';
import type { PersonaInfo, ThreadRecord } from './protocol.js';
import { type DreamdeckStrings, en, format } from './strings.js';
import { controlStyles } from './styles.js';

/** Detail of `dreamdeck-thread-select` and `dreamdeck-thread-delete`. */
export interface ThreadDetail {
  /** The story's thread id. */
  threadId: string;
}

/** Detail of `dreamdeck-thread-rename`. */
export interface ThreadRenameDetail {
  /** The story's thread id. */
  threadId: string;
  /** The new title, trimmed and never empty. */
  title: string;
}

/** A story being renamed, or asked about before deleting. */
type ThreadEdit = { id: string; mode: 'rename' | 'delete' };

/**
 * The player's stories, with New story and, on each story, Rename (the title is edited in place:
 * Enter or Save sends, Cancel leaves) and Delete (after a question, focus on Cancel). It only
 * asks: `<dreamdeck-chat>` hears its events, talks to the server and hands the new list back.
 * Used inside `<dreamdeck-chat>` as its `threads` part, whose theme it inherits.
 *
 * @fires dreamdeck-thread-select - the player picked a story (`detail: { threadId }`)
 * @fires dreamdeck-thread-create - the player asked for a new story (`detail: {}`)
 * @fires dreamdeck-thread-rename - the player renamed a story (`detail: { threadId, title }`)
 * @fires dreamdeck-thread-delete - the player confirmed deleting a story (`detail: { threadId }`)
 * @fires dreamdeck-thread-import - the player chose a story file to import (`detail: { text }`: its text)
 * @fires dreamdeck-thread-export - the player asked to download the open story (`detail: { format }`: `markdown` or `json`)
 */
export class DreamdeckThreadList extends LitElement {
  /** Shadow-root styles (colours come from the chat's theme). */
  static override styles = [controlStyles, panelStyles, threadListStyles];

  static override properties: PropertyDeclarations = {
    threads: { attribute: false },
    current: {},
    busy: { type: Boolean },
    personas: { attribute: false },
    strings: { attribute: false },
    editing: { state: true, attribute: false },
  };

  /** The stories, newest first. */
  threads: ThreadRecord[] = [];
  /** The open story's id: marked `aria-current`. */
  current = '';
  /** A turn runs: the open story cannot be deleted (the server refuses while its turn runs). */
  busy = false;
  /** Personas, for each story's icon. */
  personas: PersonaInfo[] = [];
  /** The strings to show. */
  strings: DreamdeckStrings = en;
  private editing: ThreadEdit | undefined;

  /** Leaves renaming or the delete question, if either is open; returns whether one was. */
  cancelEdit(): boolean {
    const was = !!this.editing;
    this.editing = undefined;
    return was;
  }

  override updated(changed: PropertyValues) {
    if (!changed.has('editing')) return;
    // into the title field (selected, so typing replaces it) or onto Cancel; back to the story's
    // button once done (to New story when the story is gone)
    const before = changed.get('editing') as ThreadEdit | undefined;
    const root = this.renderRoot;
    const target = this.editing
      ? root.querySelector<HTMLInputElement>('.editing input, .editing button:last-child')
      : before && root.querySelector<HTMLElement>(`[data-id="${CSS.escape(before.id)}"]`);
    (target ?? root.querySelector('button'))?.focus();
    if (this.editing) (target as HTMLInputElement | null)?.select?.();
  }

  override render() {
    const s = this.strings;
    return html`<nav aria-label=${s.threads}>
      <button class="primary" @click=${() => emit(this, 'dreamdeck-thread-create', {})}>${icon(icons.plus)} ${s.newThread}</button>
      <div class="files">
        <button type="button" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}>${s.importStory}</button>
        <input type="file" hidden accept=".json,.jsonl,application/json" aria-label=${s.importStory} @change=${this.importFile} />
        ${
          this.current
            ? (['markdown', 'json'] as const).map(
                (format) =>
                  html`<button type="button" @click=${() => emit(this, 'dreamdeck-thread-export', { format })}>
                    ${format === 'json' ? s.downloadJson : s.downloadMarkdown}
                  </button>`,
              )
            : ''
        }
      </div>
      <ul>
        ${this.threads.map((thread) => this.renderThread(thread, s))}
      </ul>
    </nav>`;
  }

  /** Reads the chosen story file and hands its text to the chat (`dreamdeck-thread-import`). */
  private importFile = async (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) emit(this, 'dreamdeck-thread-import', { text: await file.text() });
  };

  private renderThread(thread: ThreadRecord, s: DreamdeckStrings) {
    const id = thread.id;
    const title = thread.title || s.untitled;
    const mode = this.editing?.id === id ? this.editing.mode : undefined;
    const edit = (next?: ThreadEdit['mode']) => {
      this.editing = next && { id, mode: next };
    };
    const cancel = html`<button type="button" @click=${() => edit()}>${s.cancel}</button>`;
    if (mode === 'rename')
      return html`<li class="editing">
        <form
          @submit=${(event: Event) => {
            event.preventDefault();
            const title = String(new FormData(event.target as HTMLFormElement).get('title') ?? '').trim();
            edit();
            if (title) emit(this, 'dreamdeck-thread-rename', { threadId: id, title });
          }}
        >
          <input name="title" required maxlength="200" aria-label=${s.threadTitle} .value=${thread.title} />
          <button type="submit" class="primary">${s.save}</button>
          ${cancel}
        </form>
      </li>`;
    if (mode === 'delete') {
      const question = format(s.deleteConfirm, { title });
      const confirm = () => {
        edit();
        emit(this, 'dreamdeck-thread-delete', { threadId: id });
      };
      return html`<li class="editing" role="group" aria-label=${question}>
        <span>${question}</span>
        <button class="primary" @click=${confirm}>${s.delete}</button>
        ${cancel}
      </li>`;
    }
    const current = id === this.current;
    return html`<li>
      <button class="pick" data-id=${id} aria-current=${current} @click=${() => emit(this, 'dreamdeck-thread-select', { threadId: id })}>
        ${this.personas.find((persona) => persona.id === thread.persona)?.icon ?? ''} ${title}
        ${
          thread.parentThreadId
            ? html`<small class="branch">${format(s.branchOf, {
                title: this.threads.find((other) => other.id === thread.parentThreadId)?.title || s.untitled,
              })}</small>`
            : ''
        }
      </button>
      ${iconButton(`${s.rename}: ${title}`, icons.rename, () => edit('rename'))}
      ${iconButton(`${s.delete}: ${title}`, icons.delete, () => edit('delete'), { disabled: current && this.busy })}
    </li>`;
  }
}

customElements.define('dreamdeck-thread-list', DreamdeckThreadList);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-thread-list': DreamdeckThreadList;
  }
}
