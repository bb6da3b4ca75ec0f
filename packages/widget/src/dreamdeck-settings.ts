import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { panelStyles, settingsStyles } from './chat-styles.js';
import { emit } from './events.js';
import type { PreferenceChange, StoryboardsChoice } from './preferences-controller.js';
import type { FlagsAnswer, PersonaInfo } from './protocol.js';
import { type DreamdeckStrings, en } from './strings.js';
import { controlStyles } from './styles.js';

/**
 * The player's settings: the game master (persona) for their stories, and the features (flags),
 * of which the ones the server marks `toggleable` can be switched. It only asks:
 * `<dreamdeck-chat>` hears its event, saves the change and hands the new state back. Used inside
 * `<dreamdeck-chat>` as its `settings` part, whose theme it inherits.
 *
 * @fires dreamdeck-preference-change - the player picked a persona (`detail: { persona }`) or
 * switched a flag (`detail: { flags: { [name]: on } }`): the body of `PATCH /preferences`
 */
export class DreamdeckSettings extends LitElement {
  /** Shadow-root styles (colours come from the chat's theme). */
  static override styles = [controlStyles, panelStyles, settingsStyles];

  static override properties: PropertyDeclarations = {
    personas: { attribute: false },
    persona: {},
    flags: { attribute: false },
    storyboards: {},
    strings: { attribute: false },
  };

  /** The personas to pick from (no picker when empty). */
  personas: PersonaInfo[] = [];
  /** The selected persona's id. */
  persona = '';
  /** Effective flags, and the ones the player may switch. */
  flags: FlagsAnswer = { flags: {}, toggleable: [] };
  /** When the GM offers to paint scenes (shown while image generation is on). */
  storyboards: StoryboardsChoice = 'every-reply';
  /** The strings to show. */
  strings: DreamdeckStrings = en;

  #change(change: PreferenceChange) {
    emit(this, 'dreamdeck-preference-change', change);
  }

  override render() {
    const s = this.strings;
    const { flags, toggleable } = this.flags;
    return html`<section aria-label=${s.settings}>
      ${
        this.personas.length
          ? html`<label
              >${s.persona}
              <select @change=${(event: Event) => this.#change({ persona: (event.target as HTMLSelectElement).value })}>
                ${this.personas.map(
                  (persona) =>
                    html`<option value=${persona.id} ?selected=${persona.id === this.persona}>
                      ${persona.icon ?? ''} ${persona.name}
                    </option>`,
                )}
              </select></label
            >`
          : nothing
      }
      ${
        flags.imageGeneration
          ? html`<label
              >${s.storyboards}
              <select
                name="storyboards"
                @change=${(event: Event) =>
                  this.#change({ storyboards: (event.target as HTMLSelectElement).value as StoryboardsChoice })}
              >
                ${(
                  [
                    ['every-reply', s.storyboardsEveryReply],
                    ['on-command', s.storyboardsOnCommand],
                    ['never', s.storyboardsNever],
                  ] as const
                ).map(
                  ([value, label]) =>
                    html`<option value=${value} ?selected=${value === this.storyboards}>${label}</option>`,
                )}
              </select></label
            >`
          : nothing
      }
      <fieldset>
        <legend>${s.flags}</legend>
        ${Object.entries(flags).map(
          ([name, value]) =>
            html`<label>
              <input
                type="checkbox"
                name=${name}
                .checked=${value}
                ?disabled=${!toggleable.includes(name)}
                @change=${(event: Event) => this.#change({ flags: { [name]: (event.target as HTMLInputElement).checked } })}
              />
              ${s.flagNames[name] ?? name}
            </label>`,
        )}
      </fieldset>
    </section>`;
  }
}

customElements.define('dreamdeck-settings', DreamdeckSettings);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-settings': DreamdeckSettings;
  }
}
