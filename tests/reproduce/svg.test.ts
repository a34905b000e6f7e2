// @vitest-environment jsdom
// (only for DOMParser, to check the SVG strings are well-formed XML; the writers themselves use no DOM)
import { describe, expect, it } from 'vitest';
import { esc, fmt, heatmapSvg, lineChartSvg, mapperGraphsSvg, OKABE_ITO, persistenceGridSvg } from '../../src/reproduce/svg';

/** Parse as XML (image/svg+xml): a malformed document gives a <parsererror>. */
function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror').length).toBe(0);
  expect(doc.documentElement.tagName).toBe('svg');
  return doc;
}

describe('SVG figure writers', () => {
  it('escapes XML and formats numbers briefly', () => {
    expect(esc('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(Infinity)).toBe('∞');
    expect(fmt(NaN)).toBe('n/a');
    expect(fmt(123456)).toBe('1.2e5');
  });

  it('a line chart is well-formed XML with title, axis labels, one path per series and a legend entry each', () => {
    const svg = lineChartSvg({
      title: 'T <1>',
      xLabel: 'layer',
      yLabel: 'purity',
      series: [
        { name: 'a & b', x: [1, 2, 3], y: [0.1, null, 0.3] },
        { name: 'c', x: [1, 2, 3], y: [0.5, 0.4, 0.2] },
      ],
      references: [{ y: 0.1, label: 'chance' }],
    });
    const doc = parse(svg);
    const texts = Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent);
    expect(texts).toContain('T <1>');
    expect(texts).toEqual(expect.arrayContaining(['layer', 'purity', 'a & b', 'c', 'chance']));
    // The null splits series a into two moves.
    const paths = Array.from(doc.getElementsByTagName('path')).filter((p) => p.getAttribute('fill') === 'none');
    expect(paths[0].getAttribute('d')!.match(/M/g)!.length).toBe(2);
    expect(paths[0].getAttribute('stroke')).toBe(OKABE_ITO[0]);
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('a heatmap has one cell per entry, hatches missing values and refuses a non-square input', () => {
    const values = [0, 1, 2, 1, 0, NaN, 2, NaN, 0];
    const doc = parse(heatmapSvg({ title: 'SW', labels: ['1', '2', '3'], values, valueLabel: 'SW', kind: 'distance' }));
    const cells = Array.from(doc.getElementsByTagName('rect')).filter((r) => r.getElementsByTagName('title').length > 0);
    expect(cells.length).toBe(9);
    expect(cells.filter((c) => c.getAttribute('fill') === 'url(#nodata)').length).toBe(2);
    // Distance: the zero diagonal is the brightest colour (Cividis end), the largest distance the darkest.
    expect(cells[0].getAttribute('fill')).not.toBe(cells[2].getAttribute('fill'));
    expect(() => heatmapSvg({ title: 'x', labels: ['1', '2'], values: [1, 2, 3], valueLabel: 'v', kind: 'similarity' })).toThrow(/3 values for a 2 × 2/);
  });

  it('persistence diagrams draw finite and essential points, one dot per half pixel', () => {
    const doc = parse(
      persistenceGridSvg({
        title: 'dgms',
        panels: [
          { title: 'layer 1', dgms: [[{ birth: 0, death: 1 }, { birth: 0, death: 1 }, { birth: 0, death: Infinity }], [{ birth: 0.5, death: 0.8 }]] },
          { title: 'layer 2', dgms: [[], []] },
        ],
      }),
    );
    const dots = Array.from(doc.getElementsByTagName('path')).map((p) => p.getAttribute('d') ?? '').filter((d) => d.includes('h0'));
    // H0: the duplicate (0, 1) is drawn once, plus the essential class → 2 dots; H1: 1 dot.
    expect(dots.map((d) => d.match(/h0/g)!.length)).toEqual([2, 1]);
  });

  it('Mapper graphs draw one pie or disc per node and one line per edge', () => {
    const doc = parse(
      mapperGraphsSvg({
        title: 'g',
        xLabel: 'lens',
        groupNames: ['A', 'B'],
        graphs: [{ title: 'layer 1', nodes: [{ lens: 1, size: 3, groups: [3, 0] }, { lens: 2, size: 4, groups: [1, 3] }], edges: [{ source: 0, target: 1 }], components: [0, 0] }],
      }),
    );
    expect(doc.getElementsByTagName('line').length).toBe(1);
    // node 0: a single disc; node 1: two wedges + an outline circle.
    expect(doc.getElementsByTagName('circle').length).toBe(2);
    expect(Array.from(doc.getElementsByTagName('path')).filter((p) => (p.getAttribute('d') ?? '').includes('A')).length).toBe(2);
  });
});
