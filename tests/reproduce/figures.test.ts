// @vitest-environment jsdom
// The report's figures come from the page's renderers: for each chart kind, the figure the report writes (rendered
// on its own jsdom document in render.ts) has the same SVG structure — the same element tree, tag by tag and class
// by class — as the page's renderer drawing the same data in this test's document.
import { describe, expect, it } from 'vitest';
import { renderHeatmap } from '../../src/charts/heatmap';
import { renderLineChart, type LineChartData } from '../../src/charts/lineChart';
import { renderPersistenceDiagram } from '../../src/charts/persistenceDiagram';
import { figureDocument, gridSvg, renderInto, renderSvg } from '../../src/reproduce/render';
import type { Diagram } from '../../src/types';

/** The element tree as text: tag[.class] per element, children indented; attributes that are values are left out. */
function structure(el: Element, depth = 0): string {
  const cls = el.getAttribute('class');
  const self = `${'  '.repeat(depth)}${el.tagName.toLowerCase()}${cls ? `.${cls.split(/\s+/).sort().join('.')}` : ''}`;
  return [self, ...Array.from(el.children).map((c) => structure(c, depth + 1))].join('\n');
}

function parse(svg: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror').length).toBe(0);
  return doc.documentElement as unknown as SVGSVGElement;
}

/** The page's output: the renderer in this (page-like) document; the export adds a background <rect> first. */
function pageSvg<D, O>(render: (el: HTMLElement, d: D, o: O) => { svg(): SVGSVGElement }, data: D, options: O): SVGSVGElement {
  const el = document.createElement('div');
  document.body.appendChild(el);
  return render(el, data, options).svg();
}

const withBackground = (s: string) => s.replace(/^svg\n/, 'svg\n  rect\n');

describe('report figures are the page renderers\' output', () => {
  it('line chart (with references, a scatter-only series and a gap)', () => {
    const data: LineChartData = {
      title: 'purity', xLabel: 'layer', yLabel: 'graph purity', x: [1, 5, 9],
      series: [{ label: 'class', values: [0.2, null, 0.6] }, { label: 'pairs', values: [0.1, 0.3, 0.2], line: false }],
      references: [{ y: 0.1, label: 'chance' }], yDomain: [0, 1],
    };
    const opts = { width: 640, height: 320, testId: 'report-line-chart' };
    const report = parse(renderSvg(figureDocument(), renderLineChart, data, opts));
    const page = pageSvg(renderLineChart, data, opts);
    expect(structure(report)).toBe(withBackground(structure(page)));
    expect(report.querySelectorAll('.lc-reference').length).toBe(1);
    expect(report.querySelectorAll('.lc-line').length).toBe(1);
    expect(report.querySelectorAll('.lc-dot').length).toBe(5);
    expect(report.outerHTML).not.toMatch(/var\(/);
  });

  it('heatmap', () => {
    const data = { title: 'SW', labels: ['layer 1', 'layer 2', 'layer 3'], values: Float64Array.from([0, 1, 2, 1, 0, NaN, 2, NaN, 0]), colorScheme: 'distance' as const };
    const opts = { testId: 'report-heatmap', size: 360 };
    const report = parse(renderSvg(figureDocument(), renderHeatmap, data, opts));
    expect(structure(report)).toBe(withBackground(structure(pageSvg(renderHeatmap, data, opts))));
    expect(report.querySelectorAll('rect.hm-cell').length).toBe(9);
  });

  it('persistence diagrams (each grid panel is the page\'s diagram)', () => {
    const dgms: Diagram[] = [[{ birth: 0, death: 1 }, { birth: 0, death: Infinity }], [{ birth: 0.5, death: 0.8 }]];
    const data = { title: 'layer 1', dgms, dims: [0, 1] };
    const opts = { width: 240, height: 240 };
    const doc = figureDocument();
    const grid = parse(gridSvg(doc, 'diagrams', [renderInto(doc, renderPersistenceDiagram, data, opts), renderInto(doc, renderPersistenceDiagram, data, opts)], 5));
    const panels = Array.from(grid.children).filter((c) => c.tagName === 'svg');
    expect(panels.length).toBe(2);
    const page = structure(pageSvg(renderPersistenceDiagram, data, opts));
    for (const p of panels) expect(structure(p)).toBe(page);
    expect(panels[0].querySelectorAll('.pd-point').length).toBe(3);
  });
});
