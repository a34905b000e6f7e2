// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '../helpers/dom';
import { diagramsToCsv, diagramsToJson, downloadText, svgToPngBlob, svgToString } from '../../src/charts/export';
import { renderHeatmap } from '../../src/charts/heatmap';
import { renderPersistenceDiagram } from '../../src/charts/persistenceDiagram';
import type { Diagram } from '../../src/types';

const dgms: Diagram[] = [
  [{ birth: 0, death: 0.5 }, { birth: 0, death: Infinity }],
  [{ birth: 0.25, death: 1.125 }],
];

afterEach(() => {
  document.body.innerHTML = '';
  document.documentElement.removeAttribute('style');
  vi.restoreAllMocks();
});


describe('diagram text exports', () => {
  it('diagramsToCsv writes dim,birth,death rows with inf for essential classes', () => {
    expect(diagramsToCsv(dgms)).toBe('dim,birth,death\n0,0,0.5\n0,0,inf\n1,0.25,1.125\n');
    expect(diagramsToCsv([])).toBe('dim,birth,death\n');
  });

  it('diagramsToJson writes the CLI format with null for infinite deaths', () => {
    expect(diagramsToJson(dgms)).toBe('{"dgms":[[[0,0.5],[0,null]],[[0.25,1.125]]]}\n');
    expect(diagramsToJson([[], []])).toBe('{"dgms":[[],[]]}\n');
  });
});

describe('svgToString', () => {
  it('resolves CSS variables to the page values, adds xmlns, and stays well-formed', () => {
    document.documentElement.style.setProperty('--fg', '#123456');
    document.documentElement.style.setProperty('--bg', '#abcdef');
    const el = mount();
    const h = renderPersistenceDiagram(el, { dgms, dims: [0, 1], title: 'layer 3' }, { width: 300, height: 300 });
    expect(h.svg().outerHTML).toContain('var(--'); // the live chart follows the theme…
    const text = svgToString(h.svg());
    expect(text).not.toContain('var(--'); // …the file does not need the page
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text).toContain('#123456');
    expect(text).toMatch(/<rect[^>]*fill="#abcdef"/); // background painted first
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.querySelectorAll('.pd-point').length).toBe(3);
    // the live chart is untouched
    expect(h.svg().outerHTML).toContain('var(--');
  });

  it('falls back to the light theme when the page defines no variables', () => {
    const el = mount();
    const h = renderHeatmap(el, { values: Float64Array.from([0, NaN, NaN, 0]), labels: ['a', 'b'], title: 't', colorScheme: 'distance' }, { testId: 'm' });
    const text = svgToString(h.svg(), { background: false });
    expect(text).not.toContain('var(--');
    expect(text).toContain('#1d1d1f'); // --fg fallback
    expect(text).toMatch(/url\((&quot;)?#hm-hatch-\d+/); // pattern references survive
    expect(text).toMatch(/<pattern id="hm-hatch-\d+"/);
  });
});

describe('downloads', () => {
  it('downloadText hands a typed blob to an <a download> and clicks it', async () => {
    const urls: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => { urls.push(b); return 'blob:fake'; });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('d.csv');
      expect(this.getAttribute('href')).toBe('blob:fake');
    });
    downloadText('dim,birth,death\n', 'd.csv', 'text/csv');
    expect(click).toHaveBeenCalledTimes(1);
    expect(urls[0].type).toBe('text/csv;charset=utf-8');
    expect(await urls[0].text()).toBe('dim,birth,death\n');
    expect(document.querySelector('a')).toBeNull(); // the temporary link is removed
  });

  it('svgToPngBlob rejects a bad scale, naming it', async () => {
    const h = renderPersistenceDiagram(mount(), { dgms, dims: [0] }, { width: 100, height: 100 });
    await expect(svgToPngBlob(h.svg(), 0)).rejects.toThrow(/scale/);
  });
});
