import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { emit } from './events.js';
import type { InterruptEvent } from './protocol.js';
import type { DreamdeckSurveyStrings } from './strings-types.js';
import { controlStyles } from './styles.js';

/** A survey as an `interrupt` event of kind `survey` carries it. */
export type SurveyQuestions = NonNullable<InterruptEvent['survey']>;

/** What the player answered: by question id, a rating (1–5), an option, or text. */
export type SurveyCardAnswers = Record<string, number | string>;

/** English strings of the survey card (a locale's or a page's `strings.survey` are merged over them). */
export const enSurvey: DreamdeckSurveyStrings = {
  send: 'Send answers',
  skip: 'Skip',
  rating: '{n} of 5',
  optional: 'Answer at least one question, or skip.',
};

/** The longest text answer the server keeps. */
const MAX_TEXT = 2000;

/**
 * `<dreamdeck-survey>`: a survey the GM asks after a turn, as a compact card: a row of 1–5 ratings,
 * a choice of options, or a short text field per question, with Send and Skip. `<dreamdeck-chat>`
 * loads it on demand (its own small file) when a `survey` interrupt arrives, as its `survey` part;
 * the chat sends the answer (`POST /threads/:id/resume`). Questions and options are the server's
 * configuration, shown as plain text.
 *
 * @fires dreamdeck-survey-answer - the player sent answers (`detail: { value: answers }`) or skipped (`detail: { value: null }`)
 *
 * @csspart question - one question
 */
export class DreamdeckSurvey extends LitElement {
  /** Shadow-root styles (colours come from the chat's theme). */
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--_space, 8px);
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        padding: 0;
        margin-bottom: 4px;
        font-weight: 600;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .choices label {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius, 8px) / 1.5);
        padding: 2px 8px;
        cursor: pointer;
      }
      .choices input {
        margin: 0;
      }
      textarea {
        width: 100%;
        min-height: 3em;
        resize: vertical;
      }
      .buttons {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
      }
      .hint {
        margin: 0;
        color: var(--_danger);
        font-size: 0.9em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    survey: { attribute: false },
    busy: { type: Boolean },
    strings: { attribute: false },
    answers: { state: true, attribute: false },
    hint: { state: true, attribute: false },
  };

  /** The survey to show: its title and questions. */
  survey: SurveyQuestions | undefined;
  /** A turn runs: the buttons are disabled. */
  busy = false;
  /** Replacement strings, merged over the English ones (`enSurvey`). */
  strings: Partial<DreamdeckSurveyStrings> | undefined;

  private answers: SurveyCardAnswers = {};
  private hint = false;

  private set(id: string, value: number | string) {
    const next = { ...this.answers };
    if (value === '') delete next[id];
    else next[id] = value;
    this.answers = next;
    this.hint = false;
  }

  private submit(event: Event) {
    event.preventDefault();
    const answers = Object.fromEntries(
      Object.entries(this.answers).flatMap(([id, value]) => {
        const kept = typeof value === 'string' ? value.trim() : value;
        return kept === '' ? [] : [[id, kept]];
      }),
    );
    if (Object.keys(answers).length === 0) {
      this.hint = true;
      return;
    }
    emit(this, 'dreamdeck-survey-answer', { value: answers });
  }

  override render() {
    const survey = this.survey;
    if (!survey) return nothing;
    const s: DreamdeckSurveyStrings = { ...enSurvey, ...this.strings };
    return html`<form @submit=${(event: Event) => this.submit(event)}>
      ${survey.questions.map((question) => {
        const name = `q-${question.id}`;
        if (question.kind === 'text') {
          return html`<fieldset part="question">
            <legend id=${name}>${question.prompt}</legend>
            <textarea
              aria-labelledby=${name}
              maxlength=${MAX_TEXT}
              .value=${String(this.answers[question.id] ?? '')}
              @input=${(event: Event) => this.set(question.id, (event.target as HTMLTextAreaElement).value)}
            ></textarea>
          </fieldset>`;
        }
        const choices: Array<[number | string, string]> =
          question.kind === 'rating'
            ? [1, 2, 3, 4, 5].map((n) => [n, String(n)])
            : (question.options ?? []).map((option) => [option, option]);
        return html`<fieldset part="question">
          <legend>${question.prompt}</legend>
          <div class="choices" role="radiogroup">
            ${choices.map(
              ([value, label]) =>
                html`<label title=${question.kind === 'rating' ? s.rating.replace('{n}', label) : label}
                  ><input
                    type="radio"
                    name=${name}
                    .checked=${this.answers[question.id] === value}
                    @change=${() => this.set(question.id, value)}
                  />${label}</label
                >`,
            )}
          </div>
        </fieldset>`;
      })}
      ${this.hint ? html`<p class="hint" role="alert">${s.optional}</p>` : nothing}
      <div class="buttons">
        <button class="primary" type="submit" ?disabled=${this.busy}>${s.send}</button>
        <button
          type="button"
          ?disabled=${this.busy}
          @click=${() => emit(this, 'dreamdeck-survey-answer', { value: null })}
        >
          ${s.skip}
        </button>
      </div>
    </form>`;
  }
}

if (!customElements.get('dreamdeck-survey')) customElements.define('dreamdeck-survey', DreamdeckSurvey);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-survey': DreamdeckSurvey;
  }
}
