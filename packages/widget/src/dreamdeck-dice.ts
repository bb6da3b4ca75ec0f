import { css, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { diceStyles, renderDiceRoll } from './dice-roll.js';
import type { DiceRoll } from './protocol.js';
import { type DreamdeckStrings, en } from './strings.js';
import { themeStyles } from './styles.js';

/**
 * One dice roll as chips: the notation, each die (dropped dice struck through), the total and
 * the reason. `<dreamdeck-message>` renders the same chips inline (with `renderDiceRoll`); this
 * element is for pages that show a roll on its own.
 *
 * @csspart roll - the whole roll
 * @csspart die - one die
 * @csspart total - the total
 */
export class DreamdeckDice extends LitElement {
  /** Shadow-root styles; style the chips through the parts above. */
  static override styles = [
    themeStyles,
    diceStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    roll: { attribute: false },
    strings: { attribute: false },
  };

  /** The roll to show. */
  roll?: DiceRoll;
  /** Strings (for the accessible labels). */
  strings: DreamdeckStrings = en;

  override render() {
    return this.roll ? renderDiceRoll(this.roll, this.strings) : nothing;
  }
}

customElements.define('dreamdeck-dice', DreamdeckDice);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-dice': DreamdeckDice;
  }
}
