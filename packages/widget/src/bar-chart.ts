import { svg, type TemplateResult } from 'lit';

/** One group of bars: a label (a day) and a value per series. */
export interface BarGroup {
  /** Shown under the group (a day). */
  label: string;
  /** One value per series, in the order of `series`. */
  values: number[];
}

/** Options for {@link barChart}. */
export interface BarChartOptions {
  /** Series names, for the legend and each bar's tooltip. */
  series: string[];
  /** Series colours (CSS colours or `var(...)`). */
  colors: string[];
  /** Chart height in px (default 140). */
  height?: number;
  /** Accessible title. */
  title: string;
  /** The text under a group (default: the label from its sixth character: `2026-01-02` shows `01-02`). */
  tick?: (label: string) => string;
}

/**
 * A small grouped bar chart as an SVG Lit template (no chart library): one group per label, one bar
 * per series, a tooltip (`<title>`) on each bar and a readable `aria-label` summary.
 *
 * @param groups - the groups, left to right
 * @param options - series, colours, size and title
 */
export function barChart(groups: BarGroup[], options: BarChartOptions): TemplateResult {
  const height = options.height ?? 140;
  const gap = 10;
  const series = Math.max(1, options.series.length);
  // with little data (a day or two) the bars widen to fill a readable chart, and carry their
  // values (issue 21: one thin bar in a corner was all an admin saw)
  const minWidth = 240;
  const fitted = Math.floor((minWidth - gap * (groups.length + 1)) / (Math.max(1, groups.length) * series));
  const bar = Math.min(32, Math.max(12, fitted));
  const labelled = groups.length <= 7;
  const groupWidth = series * bar + gap;
  const width = Math.max(groupWidth * groups.length + gap, minWidth);
  const top = labelled ? 14 : 8;
  const bottom = 22;
  const max = Math.max(1, ...groups.flatMap((group) => group.values));
  const scale = (height - top - bottom) / max;
  const summary = groups
    .map(
      (group) =>
        `${group.label}: ${group.values.map((value, index) => `${options.series[index]} ${value}`).join(', ')}`,
    )
    .join('; ');
  return svg`<svg viewBox="0 0 ${width} ${height}" width=${width} height=${height} role="img" aria-label=${`${options.title}. ${summary}`}>
    <line x1="0" x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="currentColor" stroke-opacity="0.3"></line>
    ${groups.map((group, groupIndex) => {
      const x0 = gap + groupIndex * groupWidth;
      return svg`<g>
        ${group.values.map((value, index) => {
          const h = value * scale;
          const x = x0 + index * bar;
          return svg`<rect x=${x} y=${height - bottom - h} width=${bar - 2} height=${h} fill=${options.colors[index] ?? 'currentColor'}><title>${`${group.label} — ${options.series[index]}: ${value}`}</title></rect>${
            labelled
              ? svg`<text x=${x + (bar - 2) / 2} y=${height - bottom - h - 2} font-size="9" text-anchor="middle" fill="currentColor">${value}</text>`
              : ''
          }`;
        })}
        <text x=${x0 + (series * bar) / 2} y=${height - 6} font-size="9" text-anchor="middle" fill="currentColor">${options.tick ? options.tick(group.label) : group.label.slice(5)}</text>
      </g>`;
    })}
  </svg>`;
}
