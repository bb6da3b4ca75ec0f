import { html, nothing, type TemplateResult } from 'lit';
import type { ChatError } from './connection-controller.js';
import { iconButton, icons } from './icons.js';
import type { InterruptEvent, StoryImage } from './protocol.js';
import type { DreamdeckStrings } from './strings.js';

/**
 * The question the GM waits on (`part="interrupt"`): a storyboard's prompts with Approve and Skip,
 * or the GM's options as buttons.
 *
 * @param interrupt - the `interrupt` event
 * @param busy - a turn runs: the buttons are disabled
 * @param strings - the strings
 * @param answer - called with the player's answer (`true`/`false`, or an option)
 */
export function renderInterrupt(
  interrupt: InterruptEvent,
  busy: boolean,
  strings: DreamdeckStrings,
  answer: (value: boolean | string) => void,
): TemplateResult {
  const options = interrupt.options ?? [];
  const button = (value: boolean | string, label: string, primary?: boolean) =>
    html`<button class=${primary ? 'primary' : nothing} ?disabled=${busy} @click=${() => answer(value)}>${label}</button>`;
  return html`<div class="interrupt" part="interrupt" role="group" aria-label=${interrupt.prompt}>
    <p>${interrupt.prompt}</p>
    ${
      interrupt.kind === 'approve-storyboard'
        ? html`${options.length ? html`<ul>${options.map((option) => html`<li>${option}</li>`)}</ul>` : nothing}
          <div class="buttons">${button(true, strings.approve, true)}${button(false, strings.skip)}</div>`
        : html`<div class="buttons">${options.map((option) => button(option, option))}</div>`
    }
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
