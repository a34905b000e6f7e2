// @vitest-environment jsdom
// (only for DOMParser, to check the SVG string is well-formed XML; the writer itself uses no DOM)
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/charts/format';
import { SERIES_COLORS } from '../../src/charts/theme';
import { mapperGraphsSvg } from '../../src/reproduce/svg';

/** Parse as XML (image/svg+xml): a malformed document gives a <parsererror>. */
function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror').length).toBe(0);
  expect(doc.documentElement.tagName).toBe('svg');
  return doc;
}

describe('the Mapper figure laid out by lens', () => {
  it('escapes XML in text it writes', () => {
    expect(escapeXml('a<b & "c">')).toBe('a&#60;b &#38; &#34;c&#34;&#62;');
    const doc = parse(mapperGraphsSvg({ title: 'T <1> & "x"', xLabel: 'lens', groupNames: ['<A>'], graphs: [] }));
    expect(Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent)).toEqual(expect.arrayContaining(['T <1> & "x"', '<A>']));
  });

  it('draws one pie or disc per node (the charts\' colours per group) and one line per edge', () => {
    const doc = parse(
      mapperGraphsSvg({
        title: 'g',
        xLabel: 'lens',
        groupNames: ['A', 'B'],
        graphs: [{ title: 'layer 1', nodes: [{ lens: 1, size: 3, groups: [3, 0] }, { lens: 2, size: 4, groups: [1, 3] }], edges: [{ source: 0, target: 1 }], components: [0, 0] }],
      }),
    );
    expect(doc.getElementsByTagName('line').length).toBe(1);
    // node 0: a disc and its outline; node 1: two wedges (d3.arc) and the outline.
    const circles = Array.from(doc.getElementsByTagName('circle'));
    expect(circles.length).toBe(3);
    expect(circles[0].getAttribute('fill')).toBe(SERIES_COLORS[0]);
    const wedges = Array.from(doc.getElementsByTagName('path'));
    expect(wedges.map((p) => p.getAttribute('fill'))).toEqual([SERIES_COLORS[0], SERIES_COLORS[1]]);
    expect(wedges.every((p) => /A/.test(p.getAttribute('d') ?? ''))).toBe(true);
  });

  it('says "no nodes" for an empty graph', () => {
    const doc = parse(mapperGraphsSvg({ title: 'g', xLabel: 'lens', groupNames: ['A'], graphs: [{ title: 'empty', nodes: [], edges: [], components: [] }] }));
    expect(Array.from(doc.getElementsByTagName('text')).map((t) => t.textContent)).toContain('no nodes');
  });
});
