import { html, nothing, type TemplateResult } from 'lit';
import type { DreamdeckClient } from './api-client.js';
import type { ChatError, ConnectionState } from './connection-controller.js';
import type { ThreadDetail, ThreadRenameDetail } from './dreamdeck-thread-list.js';
import { iconButton, icons } from './icons.js';
import type { InterruptAnswer, InterruptEvent, PersonaInfo, StoryImage } from './protocol.js';
import type { StoryController } from './story-controller.js';
import type { DreamdeckStrings } from './strings.js';

/** The chat's side panels. */
export type ChatPanel = 'threads' | 'settings' | 'memory' | 'world';

/**
 * The top bar (`part="header"`): the story list button, the title, the connection badge, and the
 * Memory and Settings buttons.
 *
 * @param strings - the strings
 * @param title - the open story's title
 * @param state - the connection state
 * @param panel - the open panel, if any
 * @param toggle - opens or closes a panel
 */
export function renderHeader(
  strings: DreamdeckStrings,
  title: string,
  state: ConnectionState,
  panel: ChatPanel | undefined,
  toggle: (panel: ChatPanel) => void,
): TemplateResult {
  const button = (name: ChatPanel, path: string) =>
    iconButton(strings[name === 'threads' ? 'threads' : name], path, () => toggle(name), { expanded: panel === name });
  return html`<header part="header">
    ${button('threads', icons.menu)}
    <h2>${title}</h2>
    <span class="connection ${state}" part="connection" role="status">${strings[state]}</span>
    ${button('world', icons.world)} ${button('memory', icons.memory)} ${button('settings', icons.settings)}
  </header>`;
}

/** What the story list panel asks of the chat. */
export interface ThreadsPanelActions {
  /** The player picked a story (`dreamdeck-thread-select`); an arrow function (Lit calls listeners on the chat). */
  select: (event: CustomEvent<ThreadDetail>) => void;
  /** The player starts a new story (`dreamdeck-thread-create`); an arrow function too. */
  create: () => void;
  /** Closes the panel (an import is on its way). */
  close(): void;
}

/**
 * The story list panel (`part="threads"`): `<dreamdeck-thread-list>`, hidden unless open. Renaming,
 * deleting, importing and exporting go to the story's controller.
 *
 * @param strings - the strings
 * @param story - the stories, the open one, and the requests on them
 * @param open - the panel shows
 * @param busy - a turn runs
 * @param personas - the personas, for each story's
 * @param actions - picking and starting a story, closing the panel
 */
export function renderThreadsPanel(
  strings: DreamdeckStrings,
  story: StoryController,
  open: boolean,
  busy: boolean,
  personas: PersonaInfo[],
  actions: ThreadsPanelActions,
): TemplateResult {
  return html`<dreamdeck-thread-list
    part="threads"
    ?hidden=${!open}
    .threads=${story.threads}
    .current=${story.thread?.id ?? ''}
    .busy=${busy}
    .personas=${personas}
    .strings=${strings}
    @dreamdeck-thread-select=${actions.select}
    @dreamdeck-thread-create=${actions.create}
    @dreamdeck-thread-rename=${(event: CustomEvent<ThreadRenameDetail>) =>
      story.renameThread(event.detail.threadId, event.detail.title)}
    @dreamdeck-thread-delete=${(event: CustomEvent<ThreadDetail>) => story.deleteThread(event.detail.threadId)}
    @dreamdeck-thread-import=${(event: CustomEvent<{ text: string }>) => {
      actions.close();
      void story.control({ action: 'import', text: event.detail.text });
    }}
    @dreamdeck-thread-export=${(event: CustomEvent<{ format: 'markdown' | 'json' }>) =>
      story.control({ action: 'download', format: event.detail.format })}
  ></dreamdeck-thread-list>`;
}

/**
 * The Memory panel (`part="memory"`): `<dreamdeck-memory>`, defined by its own file that the chat
 * imports when the panel first opens. A change there reloads the story (its "remembered" marks).
 *
 * @param client - the chat's API client
 * @param threadId - the open story
 * @param strings - the strings
 * @param changed - called after a memory was added, edited or forgotten
 */
export function renderMemoryPanel(
  client: DreamdeckClient | undefined,
  threadId: string | undefined,
  strings: DreamdeckStrings,
  changed: () => void,
): TemplateResult {
  return html`<dreamdeck-memory
    part="memory"
    .client=${client}
    .threadId=${threadId ?? ''}
    .strings=${strings}
    @dreamdeck-memory-change=${changed}
  ></dreamdeck-memory>`;
}

/**
 * The World panel (`part="world"`): `<dreamdeck-world>` (lore, the author's note, imports, the
 * knowledge base's documents), defined by its own file that the chat imports when it first opens.
 *
 * @param client - the chat's API client
 * @param threadId - the open story
 * @param strings - the strings
 * @param language - the chat's language
 * @param changed - called after lore, the note or the personas changed
 */
export function renderWorldPanel(
  client: DreamdeckClient | undefined,
  threadId: string | undefined,
  strings: DreamdeckStrings,
  language: string,
  changed: () => void,
): TemplateResult {
  return html`<dreamdeck-world
    part="world"
    .client=${client}
    .threadId=${threadId ?? ''}
    .chatStrings=${strings}
    .language=${language}
    @dreamdeck-world-change=${changed}
  ></dreamdeck-world>`;
}

/**
 * The question the GM waits on (`part="interrupt"`). A storyboard's is one compact row (issue 21:
 * it covered about 40 % of the story at 360 px): "Paint these 3 scenes?", Paint, Skip and a close
 * button that puts the question away unanswered (writing on leaves it behind), the scene prompts
 * folded under a "Scenes" disclosure. A survey is its card (`<dreamdeck-survey>`, loaded on demand);
 * other questions show the GM's options as buttons.
 *
 * @param interrupt - the `interrupt` event
 * @param busy - a turn runs: the buttons are disabled
 * @param strings - the strings
 * @param answer - called with the player's answer (`true`/`false`, an option, or a survey's answers; `null` skips a survey)
 * @param dismiss - called when the player closes a storyboard question without answering
 */
export function renderInterrupt(
  interrupt: InterruptEvent,
  busy: boolean,
  strings: DreamdeckStrings,
  answer: (value: InterruptAnswer) => void,
  dismiss?: () => void,
): TemplateResult {
  if (interrupt.kind === 'survey' && interrupt.survey) {
    // the card is its own file, fetched when the first survey arrives
    void import('./dreamdeck-survey.js');
    return html`<div class="interrupt" part="interrupt" role="group" aria-label=${interrupt.prompt}>
      <p>${interrupt.prompt}</p>
      <dreamdeck-survey
        part="survey"
        .survey=${interrupt.survey}
        ?busy=${busy}
        .strings=${strings.survey}
        @dreamdeck-survey-answer=${(event: CustomEvent<{ value: InterruptAnswer }>) => answer(event.detail.value)}
      ></dreamdeck-survey>
    </div>`;
  }
  const options = interrupt.options ?? [];
  const button = (value: boolean | string, label: string, primary?: boolean) =>
    html`<button class=${primary ? 'primary' : nothing} ?disabled=${busy} @click=${() => answer(value)}>${label}</button>`;
  if (interrupt.kind === 'approve-storyboard') {
    return html`<div class="interrupt compact" part="interrupt" role="group" aria-label=${interrupt.prompt}>
      <div class="buttons">
        <p class="question">${interrupt.prompt}</p>
        ${button(true, strings.approve, true)}${button(false, strings.skip)}
        ${dismiss ? iconButton(strings.dismiss, icons.close, dismiss) : nothing}
      </div>
      ${
        options.length
          ? html`<details>
              <summary>${strings.showScenes} (${options.length})</summary>
              <ul>${options.map((option) => html`<li>${option}</li>`)}</ul>
            </details>`
          : nothing
      }
    </div>`;
  }
  return html`<div class="interrupt" part="interrupt" role="group" aria-label=${interrupt.prompt}>
    <p>${interrupt.prompt}</p>
    <div class="buttons">${options.map((option) => button(option, option))}</div>
  </div>`;
}

/**
 * The error banner (`part="error"`, `role="alert"`): the message, Retry when it may help, Dismiss.
 *
 * @param error - the error to show
 * @param strings - the strings
 * @param retry - Retry's handler
 * @param dismiss - Dismiss's handler
 */
export function renderErrorBanner(
  error: ChatError,
  strings: DreamdeckStrings,
  retry: () => void,
  dismiss: () => void,
): TemplateResult {
  return html`<div class="error" part="error" role="alert">
    <span>${error.message}</span>
    ${error.retry ? html`<button @click=${retry}>${strings.retry}</button>` : nothing}
    ${iconButton(strings.dismiss, icons.close, dismiss)}
  </div>`;
}

/**
 * The enlarged image (`part="lightbox"`): a `<dialog>` the chat opens as a modal, with the prompt
 * as caption and a Close button.
 *
 * @param image - the image shown, if any
 * @param strings - the strings
 * @param closed - called when the dialog closes (Esc, Close)
 */
export function renderLightbox(
  image: StoryImage | undefined,
  strings: DreamdeckStrings,
  closed: () => void,
): TemplateResult {
  return html`<dialog part="lightbox" aria-label=${image?.prompt ?? ''} @close=${closed}>
    ${image ? html`<img src=${image.url} alt=${image.prompt} /><p>${image.prompt}</p>` : nothing}
    <form method="dialog"><button autofocus>${strings.close}</button></form>
  </dialog>`;
}
