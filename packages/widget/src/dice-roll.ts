import { css, html, nothing } from 'lit';
import type { DiceRoll } from './protocol.js';
import type { DreamdeckStrings } from './strings.js';

/**
 * Styles for {@link renderDiceRoll}, for the shadow root it is rendered into; the colours come from
 * the theme variables (`themeStyles`) that root inherits or sets.
 */
export const diceStyles = css`
  .roll {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
    font-family: var(--_mono);
    font-size: 0.9em;
  }
  .notation {
    font-weight: 600;
  }
  .die {
    min-width: 1.6em;
    text-align: center;
    padding: 1px 6px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_surface);
  }
  .die.dropped {
    text-decoration: line-through;
    color: var(--_muted);
  }
  .die.crit-success {
    border-color: #2e7d32;
  }
  .die.crit-failure {
    border-color: var(--_danger);
  }
  .total {
    font-weight: 700;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  .reason {
    font-family: var(--_font);
    color: var(--_muted);
  }
`;

/**
 * One dice roll as chips: the notation, each die (dropped dice struck through), the total and the
 * reason, with one spoken summary for screen readers. Parts: `roll`, `die`, `total`.
 *
 * @param roll - the roll to show
 * @param strings - strings for the spoken summary
 */
export function renderDiceRoll(roll: DiceRoll, strings: DreamdeckStrings) {
  const label = `${roll.notation}: ${roll.rolls.map((die) => (die.dropped ? `${die.value} (${strings.dropped})` : die.value)).join(', ')}; ${strings.diceTotal} ${roll.total}${roll.reason ? ` — ${roll.reason}` : ''}`;
  return html`<div class="roll" part="roll" role="group" aria-label=${label}>
    <span class="notation" aria-hidden="true">${roll.notation}</span>
    ${roll.rolls.map(
      (die) =>
        html`<span
          part="die"
          aria-hidden="true"
          class="die ${die.dropped ? 'dropped' : ''} ${die.critical ? `crit-${die.critical}` : ''}"
          >${die.value}</span
        >`,
    )}
    <span aria-hidden="true">=</span>
    <span class="total" part="total" aria-hidden="true">${roll.total}</span>
    ${roll.reason ? html`<span class="reason" aria-hidden="true">${roll.reason}</span>` : nothing}
  </div>`;
}
