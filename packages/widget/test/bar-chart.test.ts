// @vitest-environment happy-dom
import { render } from 'lit';
import { describe, expect, it } from 'vitest';
import { barChart } from '../src/bar-chart.js';

function draw(groups: Array<{ label: string; values: number[] }>): SVGSVGElement {
  const host = document.createElement('div');
  render(barChart(groups, { series: ['up', 'down'], colors: ['green', 'red'], title: 'Feedback' }), host);
  return host.querySelector('svg')!;
}

// issue 21 fix 10: with little data the admin's feedback chart was one thin bar in a corner
describe('barChart', () => {
  it('with a single day, draws wide bars across a readable chart, each with its value', () => {
    const chart = draw([{ label: '2026-12-03', values: [3, 1] }]);
    expect(Number(chart.getAttribute('width'))).toBeGreaterThanOrEqual(240);
    const bars = [...chart.querySelectorAll('rect')];
    expect(bars.map((bar) => Number(bar.getAttribute('width')))).toEqual([30, 30]);
    expect(Number(bars[0]!.getAttribute('height'))).toBeGreaterThan(50);
    const values = [...chart.querySelectorAll('text')].map((text) => text.textContent);
    expect(values).toEqual(expect.arrayContaining(['3', '1', '12-03']));
  });

  it('with a month of data, keeps narrow bars and leaves the numbers to the tooltips', () => {
    const month = Array.from({ length: 30 }, (_, day) => ({ label: `2026-11-${day + 1}`, values: [day, 1] }));
    const chart = draw(month);
    expect([...chart.querySelectorAll('rect')].every((bar) => bar.getAttribute('width') === '10')).toBe(true);
    expect(chart.querySelectorAll('text')).toHaveLength(30);
    expect(chart.querySelector('rect title')?.textContent).toBe('2026-11-1 — up: 0');
  });
});
