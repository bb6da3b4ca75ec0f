import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { DreamdeckClient } from './api-client.js';
import { apiPath, emit } from './events.js';
import type { StoryMessage, ThreadRecord } from './protocol.js';
import { type DreamdeckStrings, en } from './strings.js';
import { controlStyles } from './styles.js';

/** Detail of `dreamdeck-story-control`. */
export interface StoryControlDetail {
  /** `edit` changes the text in place; `rerun` sends an edited player message again; `rewind`; `branch`. */
  action: 'edit' | 'rerun' | 'rewind' | 'branch';
  /** The message it is done to. */
  messageId: string;
  /** The new text, for `edit` and `rerun`. */
  text?: string;
}

/** A story control the chat runs for the player (see {@link runStoryControl}). */
export type StoryControlRequest =
  | { action: 'edit'; messageId: string; text: string }
  | { action: 'select'; messageId: string; index: number }
  | { action: 'rewind' | 'branch'; messageId: string }
  | { action: 'import'; text: string }
  | { action: 'download'; format: 'markdown' | 'json' };

/**
 * Runs a story control over HTTP for the open thread `threadId`: `PATCH …/messages/:mid` (edit),
 * `POST …/messages/:mid/select`, `POST …/rewind`, `POST …/branch`, `POST /threads/import`, or a
 * download of `GET …/export` (saved through a temporary link). Resolves the changed message, or
 * the new thread of a branch or an import.
 *
 * @param client - the chat's client
 * @param threadId - the open thread
 * @param request - what to do
 */
export async function runStoryControl(
  client: DreamdeckClient,
  threadId: string,
  request: StoryControlRequest,
): Promise<{ message?: StoryMessage; thread?: ThreadRecord }> {
  const path = apiPath('threads', threadId);
  switch (request.action) {
    case 'import':
      return client.json('POST', '/threads/import', { text: request.text });
    case 'rewind':
    case 'branch':
      return client.json('POST', `${path}/${request.action}`, { messageId: request.messageId });
    case 'edit':
      return client.json('PATCH', `${path}${apiPath('messages', request.messageId)}`, { text: request.text });
    case 'select':
      return client.json('POST', `${path}${apiPath('messages', request.messageId, 'select')}`, {
        index: request.index,
      });
    default: {
      const response = await client.request('GET', `${path}/export?format=${request.format}`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download =
        /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
        `${threadId}.${request.format === 'json' ? 'json' : 'md'}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      return {};
    }
  }
}

/**
 * A message's story tools, opened by its More button: Edit (in place; a player message may also be
 * sent again, the GM answering anew), Rewind to here (after a question), Branch from here. In its
 * own module, which `<dreamdeck-message>` imports the first time a player opens the tools, so the
 * main bundle carries none of it (the script-tag build serves it as `dreamdeck-story-tools.js`).
 *
 * @fires dreamdeck-story-control - what the player chose ({@link StoryControlDetail}); the chat does it
 * @fires dreamdeck-tools-close - the tools are done (chosen or cancelled)
 *
 * @csspart tools - the row of tools
 * @csspart editor - the edit box
 */
export class DreamdeckMessageTools extends LitElement {
  /** Shadow-root styles (colours come from the chat's theme). */
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        width: 100%;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        align-items: center;
        margin-top: 4px;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        min-height: 5em;
        font: inherit;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    message: { attribute: false },
    strings: { attribute: false },
    mode: { state: true, attribute: false },
  };

  /** The message the tools work on. */
  message?: StoryMessage;
  /** Strings to show. */
  strings: DreamdeckStrings = en;
  private mode: 'menu' | 'edit' | 'rewind' = 'menu';

  override updated() {
    const focus = this.renderRoot.querySelector<HTMLElement>(this.mode === 'edit' ? 'textarea' : 'button');
    if (focus && !this.renderRoot.contains(document.activeElement) && this.mode !== 'menu') focus.focus();
  }

  override render() {
    const message = this.message;
    if (!message) return nothing;
    const s = this.strings;
    if (this.mode === 'edit') {
      return html`<form class="row" part="editor" @submit=${(event: Event) => this.save(event, 'edit')} @keydown=${this.onKeydown}>
        <textarea name="text" aria-label=${s.edit} .value=${message.content}></textarea>
        <button type="submit">${s.save}</button>
        ${message.role === 'user' ? html`<button type="button" @click=${(event: Event) => this.save(event, 'rerun')}>${s.editResend}</button>` : nothing}
        <button type="button" @click=${this.close}>${s.cancel}</button>
      </form>`;
    }
    if (this.mode === 'rewind') {
      return html`<div class="row" part="tools" role="group" aria-label=${s.rewindConfirm} @keydown=${this.onKeydown}>
        <span>${s.rewindConfirm}</span>
        <button type="button" @click=${() => this.choose({ action: 'rewind', messageId: message.id })}>${s.rewindHere}</button>
        <button type="button" @click=${this.close}>${s.cancel}</button>
      </div>`;
    }
    return html`<div class="row" part="tools" role="group" aria-label=${s.messageTools} @keydown=${this.onKeydown}>
      <button type="button" @click=${() => {
        this.mode = 'edit';
      }}>${s.edit}</button>
      <button type="button" @click=${() => {
        this.mode = 'rewind';
      }}>${s.rewindHere}</button>
      <button type="button" @click=${() => this.choose({ action: 'branch', messageId: message.id })}>${s.branchHere}</button>
    </div>`;
  }

  private onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.close();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && this.mode === 'edit') {
      this.save(event, 'edit');
    }
  };

  private save(event: Event, action: 'edit' | 'rerun') {
    event.preventDefault();
    const text = this.renderRoot.querySelector('textarea')?.value.trim();
    if (!text || !this.message) return;
    this.choose({ action, messageId: this.message.id, text });
  }

  private choose(detail: StoryControlDetail) {
    emit(this, 'dreamdeck-story-control', detail);
    this.close();
  }

  private close = () => {
    this.mode = 'menu';
    emit(this, 'dreamdeck-tools-close', {});
  };
}

if (!customElements.get('dreamdeck-message-tools'))
  customElements.define('dreamdeck-message-tools', DreamdeckMessageTools);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-message-tools': DreamdeckMessageTools;
  }
}
