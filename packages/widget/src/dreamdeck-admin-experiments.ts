import type { PersonaExperiment, SurveyReport } from '@dreamdeck/core';
import { css, html, LitElement, nothing, type PropertyDeclarations, svg, type TemplateResult } from 'lit';
import { adminTableStyles } from './admin-styles.js';
import type { DreamdeckApiError, DreamdeckClient } from './api-client.js';
import { barChart } from './bar-chart.js';
import { apiPath, emit } from './events.js';
import type { DreamdeckAdminStrings } from './strings-types.js';
import { controlStyles } from './styles.js';

/** `GET /admin/surveys`. */
export interface SurveysAnswer {
  /** The configured surveys. */
  surveys: Array<SurveyReport['survey']>;
}

/** `GET /admin/variants`. */
export interface VariantsAnswer {
  /** One experiment per persona with variants. */
  personas: PersonaExperiment[];
}

/**
 * `<dreamdeck-admin-experiments>`: the survey results (answers per rating as a bar chart, each
 * option's share, text answers a page at a time) and the prompt experiments (thumbs per variant,
 * the share of thumbs up with its 95% Wilson interval drawn as a bar, and Promote). Part of the
 * admin bundle; `<dreamdeck-admin>` shows it below its other sections and hands it its client.
 * Survey questions and answers are shown as plain text.
 *
 * @fires dreamdeck-variant-promote - a variant was promoted (`detail: { persona, id }`)
 * @fires dreamdeck-error - a request failed (`detail: { code, message, retryable }`)
 *
 * @csspart survey - one survey's results
 * @csspart variants - one persona's experiment table
 */
export class DreamdeckAdminExperiments extends LitElement {
  /** Shadow-root styles (colours come from the admin view's theme). */
  static override styles = [
    controlStyles,
    adminTableStyles,
    css`
      :host {
        display: block;
      }
      section {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        margin-bottom: var(--_space);
        overflow-x: auto;
      }
      h3,
      h4 {
        font-size: 1em;
        margin: 0 0 6px;
      }
      figure {
        margin: 0 0 8px;
      }
      ul {
        margin: 0 0 6px;
        padding-left: 1.2em;
      }
      .muted {
        opacity: 0.75;
        font-size: 0.9em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    strings: { attribute: false },
    reports: { state: true, attribute: false },
    variants: { state: true, attribute: false },
  };

  /** The admin view's API client (an admin token). */
  client: DreamdeckClient | undefined;
  /** The admin strings (English defaults merged with the locale's). */
  strings: DreamdeckAdminStrings | undefined;

  private reports: SurveyReport[] = [];
  private variants: PersonaExperiment[] = [];
  /** Text answers shown per survey and question (pages appended by More). */
  #texts = new Map<string, Array<{ text: string; createdAt: string }>>();
  #cursors = new Map<string, string | undefined>();

  override updated(changed: Map<PropertyKey, unknown>) {
    if (changed.has('client') && this.client) void this.refresh();
  }

  /** Loads the survey reports and the prompt experiments again. */
  async refresh(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const [surveys, variants] = await Promise.all([
        client.json<SurveysAnswer>('GET', '/admin/surveys'),
        client.json<VariantsAnswer>('GET', '/admin/variants'),
      ]);
      this.variants = variants.personas;
      this.#texts.clear();
      this.#cursors.clear();
      this.reports = await Promise.all(
        surveys.surveys.map(async (survey) => {
          const report = await client.json<SurveyReport>('GET', `${apiPath('admin', 'surveys', survey.id)}?limit=10`);
          this.#keepTexts(report, false);
          return report;
        }),
      );
    } catch (error) {
      this.#fail(error);
    }
  }

  #keepTexts(report: SurveyReport, append: boolean) {
    for (const question of report.questions) {
      if (question.kind !== 'text') continue;
      const key = `${report.survey.id}/${question.id}`;
      this.#texts.set(key, [...(append ? (this.#texts.get(key) ?? []) : []), ...question.answers]);
    }
    this.#cursors.set(report.survey.id, report.nextCursor);
  }

  async #more(surveyId: string) {
    const cursor = this.#cursors.get(surveyId);
    if (!cursor || !this.client) return;
    try {
      const page = await this.client.json<SurveyReport>(
        'GET',
        `${apiPath('admin', 'surveys', surveyId)}?limit=10&cursor=${encodeURIComponent(cursor)}`,
      );
      this.#keepTexts(page, true);
      this.requestUpdate();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #promote(persona: string, id: string) {
    if (!this.client) return;
    try {
      await this.client.json('POST', `${apiPath('admin', 'variants', persona, 'promote')}`, { id });
      emit(this, 'dreamdeck-variant-promote', { persona, id });
      const answer = await this.client.json<VariantsAnswer>('GET', '/admin/variants');
      this.variants = answer.personas;
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown) {
    const failure = error as Partial<DreamdeckApiError>;
    emit(this, 'dreamdeck-error', {
      code: failure.code ?? 'INTERNAL',
      message: failure.message ?? String(error),
      retryable: failure.retryable ?? false,
    });
  }

  override render() {
    const a = this.strings;
    if (!a) return nothing;
    return html`<section aria-labelledby="surveys-title">
        <h3 id="surveys-title">${a.surveys}</h3>
        ${this.reports.length ? this.reports.map((report) => this.#survey(report, a)) : html`<p>${a.noData}</p>`}
      </section>
      <section aria-labelledby="variants-title">
        <h3 id="variants-title">${a.variants}</h3>
        ${this.variants.length ? this.variants.map((experiment) => this.#experiment(experiment, a)) : html`<p>${a.noData}</p>`}
      </section>`;
  }

  #survey(report: SurveyReport, a: DreamdeckAdminStrings): TemplateResult {
    const counts = `${a.responses}: ${report.responses} · ${a.answered}: ${report.answered} · ${a.skipped}: ${report.skipped}`;
    return html`<div part="survey" data-survey=${report.survey.id}>
      <h4>${report.survey.title}</h4>
      <p class="muted">${counts}</p>
      ${report.questions.map((question) => {
        if (question.kind === 'rating') {
          const mean = question.mean === null ? '–' : question.mean.toFixed(2);
          return html`<figure>
            <figcaption>${question.prompt} — ${a.mean}: ${mean} (${question.count})</figcaption>
            ${barChart(
              question.distribution.map((count, index) => ({ label: String(index + 1), values: [count] })),
              {
                series: [a.answers],
                colors: ['var(--_accent)'],
                title: question.prompt,
                height: 100,
                tick: (label) => label,
              },
            )}
          </figure>`;
        }
        if (question.kind === 'choice') {
          return html`<figure>
            <figcaption>${question.prompt} (${question.count})</figcaption>
            <table>
              <tbody>
                ${question.options.map(
                  (option) =>
                    html`<tr>
                      <td>${option.option}</td>
                      <td class="number">${option.count}</td>
                      <td>${shareBar(option.share, undefined)}</td>
                      <td class="number">${Math.round(option.share * 100)}%</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </figure>`;
        }
        const texts = this.#texts.get(`${report.survey.id}/${question.id}`) ?? [];
        return html`<figure>
          <figcaption>${question.prompt} (${question.count})</figcaption>
          ${texts.length ? html`<ul>${texts.map((answer) => html`<li>${answer.text} <small class="muted">${answer.createdAt.slice(0, 10)}</small></li>`)}</ul>` : html`<p>${a.noData}</p>`}
        </figure>`;
      })}
      ${this.#cursors.get(report.survey.id) ? html`<button @click=${() => this.#more(report.survey.id)}>${a.more}</button>` : nothing}
    </div>`;
  }

  #experiment(experiment: PersonaExperiment, a: DreamdeckAdminStrings): TemplateResult {
    return html`<h4>${experiment.persona}</h4>
      <table part="variants" data-persona=${experiment.persona}>
        <thead>
          <tr>
            <th scope="col">${a.variant}</th>
            <th scope="col">${a.up}</th>
            <th scope="col">${a.down}</th>
            <th scope="col">${a.upShare}</th>
            <th scope="col">${a.interval}</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          ${experiment.variants.map(
            (variant) =>
              html`<tr data-variant=${variant.id}>
                <th scope="row">${variant.id}</th>
                <td class="number">${variant.up}</td>
                <td class="number">${variant.down}</td>
                <td class="number">${variant.upShare === null ? '–' : `${Math.round(variant.upShare * 100)}%`}</td>
                <td>
                  ${shareBar(variant.upShare ?? 0, variant.interval)}
                  <small class="muted">${Math.round(variant.interval.lower * 100)}–${Math.round(variant.interval.upper * 100)}%</small>
                </td>
                <td>
                  ${
                    variant.promoted
                      ? html`<strong>${a.promoted}</strong>`
                      : html`<button @click=${() => this.#promote(experiment.persona, variant.id)}>${a.promote}</button>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

/** A 0–100% bar: the share as a filled bar, or with an interval, the interval as a band and the share as a tick. */
function shareBar(share: number, interval: { lower: number; upper: number } | undefined): TemplateResult {
  const width = 120;
  const x = (value: number) => Math.max(0, Math.min(1, value)) * width;
  return html`<svg width=${width} height="12" viewBox="0 0 ${width} 12" aria-hidden="true">
    <rect x="0" y="3" width=${width} height="6" fill="currentColor" fill-opacity="0.12"></rect>
    ${
      interval
        ? svg`<rect x=${x(interval.lower)} y="3" width=${Math.max(1, x(interval.upper) - x(interval.lower))} height="6" fill="var(--_accent)" fill-opacity="0.45"></rect>
          <rect x=${Math.max(0, x(share) - 1)} y="0" width="2" height="12" fill="var(--_fg)"></rect>`
        : svg`<rect x="0" y="3" width=${x(share)} height="6" fill="var(--_accent)"></rect>`
    }
  </svg>`;
}

if (!customElements.get('dreamdeck-admin-experiments'))
  customElements.define('dreamdeck-admin-experiments', DreamdeckAdminExperiments);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-admin-experiments': DreamdeckAdminExperiments;
  }
}
