import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { adminTableStyles } from './admin-styles.js';
import { DreamdeckApiError, DreamdeckClient } from './api-client.js';
import { barChart } from './bar-chart.js';
import './dreamdeck-admin-experiments.js';
import { emit } from './events.js';
import { icon, icons } from './icons.js';
import type { FeedbackAnswer, FlagsAnswer, UsageAnswer } from './protocol.js';
import {
  type DreamdeckAdminStrings,
  type DreamdeckStrings,
  type DreamdeckStringsOverride,
  loadLocale,
  resolveStrings,
} from './strings.js';
import { enAdmin } from './strings-admin.js';
import { controlStyles, themeStyles } from './styles.js';

/**
 * `<dreamdeck-admin>`: global feature flags, usage per user and day, and feedback analytics for
 * a Dreamdeck server. Needs a token with the `admin` role.
 *
 * ```html
 * <dreamdeck-admin endpoint="/api" token="…"></dreamdeck-admin>
 * ```
 *
 * @fires dreamdeck-flag-change - a global flag was changed (`detail: { name, value, flags }`)
 * @fires dreamdeck-error - a request failed (`detail: { code, message, retryable }`)
 *
 * @csspart section - each section (flags, usage, feedback)
 * @csspart flags - the flag switches
 * @csspart usage - the usage table
 * @csspart chart - the feedback bar chart
 * @csspart comments - the recent comments list
 * @csspart experiments - the survey results and prompt experiments (`<dreamdeck-admin-experiments>`)
 *
 * @cssprop --dreamdeck-bg - background
 * @cssprop --dreamdeck-fg - text colour
 * @cssprop --dreamdeck-border - borders
 * @cssprop --dreamdeck-accent - accent, and the thumbs-up bars
 * @cssprop --dreamdeck-danger - the thumbs-down bars
 * @cssprop --dreamdeck-font - font family
 * @cssprop --dreamdeck-radius - corner radius
 * @cssprop --dreamdeck-spacing - base spacing unit
 */
export class DreamdeckAdmin extends LitElement {
  /** Shadow-root styles; theme the element through the `--dreamdeck-*` custom properties and parts above. */
  static override styles = [
    themeStyles,
    controlStyles,
    adminTableStyles,
    css`
      :host {
        display: block;
        color: var(--_fg);
        background: var(--_bg);
        font-family: var(--_font);
        font-size: var(--_font-size);
        padding: var(--_space);
      }
      h2 {
        font-size: 1.1em;
        margin: 0;
      }
      h3 {
        font-size: 1em;
        margin: 0 0 var(--_space);
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--_space);
        margin-bottom: var(--_space);
      }
      section {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        margin-bottom: var(--_space);
        overflow-x: auto;
      }
      label {
        display: flex;
        align-items: center;
        gap: 6px;
        margin: 4px 0;
      }
      .legend {
        display: flex;
        gap: var(--_space);
        font-size: 0.85em;
      }
      .swatch {
        display: inline-block;
        width: 10px;
        height: 10px;
        border-radius: 2px;
        margin-right: 4px;
      }
      ul {
        margin: 0;
        padding-left: 1.2em;
      }
      .error {
        color: var(--_danger);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    endpoint: {},
    token: {},
    theme: { reflect: true },
    locale: {},
    strings: { attribute: false },
    flags: { state: true, attribute: false },
    usage: { state: true, attribute: false },
    feedback: { state: true, attribute: false },
    error: { state: true, attribute: false },
    forbidden: { state: true, attribute: false },
  };

  /** Base URL of the Dreamdeck API. */
  endpoint = '';
  /** An admin bearer token. */
  token = '';
  /** `light`, `dark` or `auto`. */
  theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Language of the built-in strings. */
  locale = '';
  /** Replacement strings. */
  strings: DreamdeckStringsOverride | undefined;

  private flags: FlagsAnswer | undefined;
  private usage: UsageAnswer | undefined;
  private feedback: FeedbackAnswer | undefined;
  private error = '';
  private forbidden = false;

  private client: DreamdeckClient | undefined;

  private get text(): DreamdeckStrings {
    return resolveStrings(this.locale || document.documentElement.lang || 'en', this.strings);
  }

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    // German is a separate file in the script-tag build: load it when asked for, then render again
    if (changed.has('locale') || !this.hasUpdated)
      void loadLocale(this.locale || document.documentElement.lang).then((loaded) => loaded && this.requestUpdate());
  }

  override updated(changed: Map<PropertyKey, unknown>) {
    if ((changed.has('endpoint') || changed.has('token')) && this.endpoint && this.token) void this.refresh();
  }

  /** Reloads flags, usage and feedback (and, through a new client, the surveys and experiments). */
  async refresh(): Promise<void> {
    this.client = new DreamdeckClient({ endpoint: this.endpoint, token: this.token, storage: null });
    this.error = '';
    try {
      const [flags, usage, feedback] = await Promise.all([
        this.client.json<FlagsAnswer>('GET', '/flags'),
        this.client.json<UsageAnswer>('GET', '/admin/usage'),
        this.client.json<FeedbackAnswer>('GET', '/admin/feedback?limit=20'),
      ]);
      this.flags = flags;
      this.usage = usage;
      this.feedback = feedback;
      this.forbidden = false;
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown) {
    if (error instanceof DreamdeckApiError && (error.status === 403 || error.status === 401)) this.forbidden = true;
    const detail =
      error instanceof DreamdeckApiError
        ? { code: error.code, message: error.message, retryable: error.retryable }
        : { code: 'INTERNAL', message: String(error), retryable: false };
    this.error = detail.message;
    emit(this, 'dreamdeck-error', detail);
  }

  private async toggle(name: string, value: boolean) {
    try {
      const answer = await this.client!.json<FlagsAnswer>('PATCH', '/flags', { [name]: value });
      this.flags = answer;
      emit(this, 'dreamdeck-flag-change', { name, value, flags: answer.flags });
    } catch (error) {
      this.report(error);
    }
  }

  override render() {
    const s = this.text;
    const a: DreamdeckAdminStrings = { ...enAdmin, ...s.admin };
    if (this.forbidden) return html`<p class="error" role="alert">${a.forbidden}</p>`;
    return html`<header>
        <h2>${a.title}</h2>
        <button @click=${() => this.refresh()}>${a.refresh}</button>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <section part="section flags" aria-labelledby="flags-title">
        <h3 id="flags-title">${a.flags}</h3>
        ${Object.entries(this.flags?.flags ?? {}).map(
          ([name, value]) =>
            html`<label
              ><input
                type="checkbox"
                name=${name}
                .checked=${value}
                @change=${(event: Event) => this.toggle(name, (event.target as HTMLInputElement).checked)}
              />
              ${s.flagNames[name] ?? name}</label
            >`,
        )}
      </section>
      <section part="section usage" aria-labelledby="usage-title">
        <h3 id="usage-title">${a.usage}</h3>
        ${this.renderUsage(a)}
      </section>
      <section part="section" aria-labelledby="feedback-title">
        <h3 id="feedback-title">${a.feedback}</h3>
        ${this.renderFeedback(a)}
      </section>
      <dreamdeck-admin-experiments part="experiments" .client=${this.client} .strings=${a}></dreamdeck-admin-experiments>`;
  }

  private renderUsage(a: DreamdeckAdminStrings) {
    const rows = new Map<string, { userId: string; day: string; counts: Record<string, number> }>();
    for (const row of this.usage?.usage ?? []) {
      const key = `${row.day} ${row.userId}`;
      const entry = rows.get(key) ?? { userId: row.userId, day: row.day, counts: {} };
      entry.counts[row.metric] = (entry.counts[row.metric] ?? 0) + row.count;
      rows.set(key, entry);
    }
    if (!rows.size) return html`<p>${a.noData}</p>`;
    const sorted = [...rows.values()].sort((x, y) => y.day.localeCompare(x.day) || x.userId.localeCompare(y.userId));
    return html`<table part="usage">
      <thead>
        <tr>
          <th scope="col">${a.day}</th>
          <th scope="col">${a.user}</th>
          <th scope="col">${a.turns}</th>
          <th scope="col">${a.images}</th>
          <th scope="col">${a.rateLimited}</th>
        </tr>
      </thead>
      <tbody>
        ${sorted.map(
          (row) =>
            html`<tr>
              <td>${row.day}</td>
              <td>${row.userId}</td>
              <td class="number">${row.counts.turns ?? 0}</td>
              <td class="number">${row.counts.images ?? 0}</td>
              <td class="number">${row.counts['rate-limited'] ?? 0}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderFeedback(a: DreamdeckAdminStrings) {
    const summary = this.feedback?.summary ?? [];
    const recent = (this.feedback?.recent ?? []).filter((record) => record.comment);
    if (!summary.length) return html`<p>${a.noData}</p>`;
    const personas = [...new Set(summary.map((row) => row.persona))].sort();
    const colors = ['var(--_accent)', 'var(--_danger)'];
    return html`${personas.map((persona) => {
      const days = summary
        .filter((row) => row.persona === persona)
        .sort((x, y) => x.day.localeCompare(y.day))
        .map((row) => ({ label: row.day, values: [row.up, row.down] }));
      return html`<figure part="chart" style="margin: 0 0 8px">
          <figcaption>${persona}</figcaption>
          ${barChart(days, { series: [a.up, a.down], colors, title: `${a.feedback}: ${persona}` })}
        </figure>`;
    })}
      <div class="legend">
        <span><span class="swatch" style="background: var(--_accent)"></span>${a.up}</span>
        <span><span class="swatch" style="background: var(--_danger)"></span>${a.down}</span>
      </div>
      <h3>${a.recentComments}</h3>
      ${
        recent.length
          ? html`<ul part="comments">
            ${recent.map((record) => {
              const label = record.value === 1 ? a.up : a.down;
              const by = `— ${record.persona ?? ''} · ${record.userId} · ${record.createdAt.slice(0, 10)}`;
              // spaces inside the bindings: the build drops line breaks next to tags
              return html`<li>
                <span class=${record.value === 1 ? '' : 'flip'} role="img" aria-label=${label} title=${label}
                  >${icon(icons.thumb)}</span
                >${` ${record.comment} `}<small>${by}</small>
              </li>`;
            })}
          </ul>`
          : html`<p>${a.noData}</p>`
      }`;
  }
}

customElements.define('dreamdeck-admin', DreamdeckAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-admin': DreamdeckAdmin;
  }
}
