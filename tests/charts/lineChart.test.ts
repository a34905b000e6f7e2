// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, emptyBody } from '../helpers/dom';
import { renderLineChart } from '../../src/charts/lineChart';

afterEach(emptyBody);

const dots = (el: HTMLElement, s: number) => [...el.querySelectorAll(`.lc-dot[data-series="${s}"]`)];
const cy = (e: Element) => Number(e.getAttribute('cy'));

describe('renderLineChart', () => {
  it('draws one dot per non-null value and a line per series, skipping nulls', () => {
    const el = mount();
    renderLineChart(
      el,
      { series: [{ label: 'purity', values: [0.5, null, 0.9, 0.7] }, { label: 'other', values: [1, 2, 3, 4] }], x: [1, 2, 3, 4], xLabel: 'layer', yLabel: 'purity' },
      { testId: 'purity-chart' },
    );
    expect(el.querySelector('svg')!.getAttribute('data-testid')).toBe('purity-chart');
    expect(dots(el, 0).map((d) => d.getAttribute('data-i'))).toEqual(['0', '2', '3']);
    expect(dots(el, 1).length).toBe(4);
    expect(el.querySelectorAll('.lc-line').length).toBe(2);
    // the gap splits series 0 into two sub-paths (two M commands)
    expect(el.querySelector('.lc-line[data-series="0"]')!.getAttribute('d')!.match(/M/g)!.length).toBe(2);
  });

  it('places larger values higher and respects a fixed yDomain', () => {
    const el = mount();
    renderLineChart(el, { series: [{ label: 'a', values: [0, 0.5, 1] }], x: [0, 1, 2], xLabel: 'x', yLabel: 'y', yDomain: [0, 2] }, { height: 200 });
    const [a, b, c] = dots(el, 0).map(cy);
    expect(a).toBeGreaterThan(b);
    expect(b - c).toBeCloseTo(a - b, 9); // linear
    // with domain [0, 2] the value 1 sits halfway between the value 0 and the axis tick for 2
    const tick2 = [...el.querySelectorAll('.lc-y-axis .tick')].find((t) => Number(t.textContent) === 2)!;
    const y2 = Number(tick2.getAttribute('transform')!.match(/,([\d.]+)\)/)![1]);
    expect(Math.abs(c - (a + y2) / 2)).toBeLessThanOrEqual(0.5); // d3-axis offsets ticks by 0.5 px for crisp lines
  });

  it('reads right-axis series against their own scale (twin axis)', () => {
    const el = mount();
    renderLineChart(el, {
      series: [{ label: 'SW', values: [0, 10] }, { label: '1 − CKA', values: [0, 0.1], axis: 'right' }],
      x: [0, 1], xLabel: 'k removed', yLabel: 'SW', y2Label: '1 − CKA',
    });
    // each series spans its own axis, so both end at the same height despite 100× different values
    expect(cy(dots(el, 0)[1])).toBeCloseTo(cy(dots(el, 1)[1]), 6);
    expect(el.querySelector('.lc-legend')!.textContent).toContain('1 − CKA (right)');
  });

  it('shows label, x and value in the tooltip and reports (series, i) on click', () => {
    const el = mount();
    const onPointClick = vi.fn();
    renderLineChart(
      el,
      { series: [{ label: 'H1 total', values: [0.25, 1.23456] }], x: ['conv1', 'layer1.0'], xLabel: 'layer', yLabel: 'total persistence' },
      { onPointClick },
    );
    const d = dots(el, 0)[1];
    d.dispatchEvent(new MouseEvent('mouseenter'));
    expect(el.querySelector('.chart-tooltip')!.textContent).toBe('H1 totallayer: layer1.0total persistence: 1.235');
    d.dispatchEvent(new MouseEvent('click'));
    expect(onPointClick).toHaveBeenCalledWith(0, 1);
  });

  it('marks highlightX with a rule through that x', () => {
    const el = mount();
    renderLineChart(el, { series: [{ label: 'a', values: [1, 2, 3] }], x: ['a', 'b', 'c'], xLabel: 'x', yLabel: 'y' }, { highlightX: 'b' });
    const rule = el.querySelector('.lc-highlight')!;
    expect(rule.getAttribute('x1')).toBe(dots(el, 0)[1].getAttribute('cx'));
  });

  it('update() replaces series without duplicates; destroy() empties the container', () => {
    const el = mount();
    const h = renderLineChart(el, { series: [{ label: 'a', values: [1, 2] }, { label: 'b', values: [1, 2] }], x: [0, 1], xLabel: 'x', yLabel: 'y' });
    h.update({ series: [{ label: 'a', values: [3, 4, 5] }], x: [0, 1, 2], xLabel: 'x', yLabel: 'y' }, { highlightX: 1 });
    expect(el.querySelectorAll('.lc-dot').length).toBe(3);
    expect(el.querySelectorAll('.lc-line').length).toBe(1);
    expect(el.querySelectorAll('.lc-highlight').length).toBe(1);
    h.destroy();
    expect(el.innerHTML).toBe('');
  });

  it('rejects a series whose length differs from x, naming it', () => {
    expect(() =>
      renderLineChart(mount(), { series: [{ label: 'a', values: [1] }], x: [0, 1], xLabel: 'x', yLabel: 'y' }),
    ).toThrow(/series\[0\]\.values/);
  });
});
