/**
 * The report's figures drawn by the page's own renderers (src/charts) on a jsdom document: the renderer takes its
 * document from the container, so the same d3 code gives the page's charts and the report's SVG files.
 */
import { JSDOM } from 'jsdom';
import { svgToString } from '../charts/export';
import type { ChartHandle } from '../charts/frame';

/** A detached document with a <body> to mount charts in (one per figure set; cheap to make). */
export function figureDocument(): Document {
  return new JSDOM('<!doctype html><html><body></body></html>').window.document;
}

/** Run a page renderer in `doc` and return its root <svg> (still mounted, for composition). */
export function renderInto<D, O>(doc: Document, render: (el: HTMLElement, data: D, options: O) => ChartHandle<D, O>, data: D, options: O): SVGSVGElement {
  const el = doc.createElement('div');
  doc.body.appendChild(el);
  return render(el, data, options).svg();
}

/** A page renderer's output as a standalone SVG file (white background, theme variables resolved). */
export function renderSvg<D, O>(doc: Document, render: (el: HTMLElement, data: D, options: O) => ChartHandle<D, O>, data: D, options: O): string {
  return svgToString(renderInto(doc, render, data, options)) + '\n';
}

/**
 * Several rendered charts side by side in one SVG file: each panel's <svg> is nested at its grid position under a
 * title. Panels keep their own size; the grid cell is the largest panel.
 */
export function gridSvg(doc: Document, title: string, panels: SVGSVGElement[], columns: number): string {
  const NS = 'http://www.w3.org/2000/svg';
  const w = Math.max(1, ...panels.map((p) => Number(p.getAttribute('width')) || 0));
  const h = Math.max(1, ...panels.map((p) => Number(p.getAttribute('height')) || 0));
  const cols = Math.max(1, Math.min(columns, panels.length));
  const rows = Math.ceil(panels.length / cols);
  const top = 28;
  const root = doc.createElementNS(NS, 'svg');
  // As the charts' own frame does (d3's attr('xmlns')): declared once, so the serializer does not add a second one.
  root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns', NS);
  const width = cols * w, height = top + rows * h;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('style', 'font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 11px;');
  const heading = doc.createElementNS(NS, 'text');
  heading.setAttribute('x', String(width / 2));
  heading.setAttribute('y', '18');
  heading.setAttribute('text-anchor', 'middle');
  heading.setAttribute('style', 'font-weight: 600; font-size: 13px;');
  heading.textContent = title;
  root.appendChild(heading);
  panels.forEach((p, i) => {
    const copy = p.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('x', String((i % cols) * w));
    copy.setAttribute('y', String(top + Math.floor(i / cols) * h));
    root.appendChild(copy);
  });
  doc.body.appendChild(root);
  return svgToString(root as SVGSVGElement) + '\n';
}
