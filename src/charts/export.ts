import type { Diagram } from '../types';
import { THEME_FALLBACK } from './theme';

const SVG_NS = 'http://www.w3.org/2000/svg';
const VAR_RE = /var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)/g;

export interface SvgToStringOptions {
  /** Paint the page background (resolved --bg) behind the chart, so dark-theme text stays readable (default true). */
  background?: boolean;
}

/**
 * Standalone SVG markup of a chart: every `var(--x, fallback)` in attributes and inline styles is replaced by the
 * value the page currently gives it (so the file looks as on screen, in the current theme), plus the xmlns a file needs.
 */
export function svgToString(svg: SVGSVGElement, options: SvgToStringOptions = {}): string {
  const { background = true } = options;
  // The chart's own document and window (the page's, or a jsdom one when the report renders in Node).
  const doc = svg.ownerDocument;
  const view = doc.defaultView;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  // clone and original have the same tree, so walking both in document order pairs each copy with its live element.
  const live = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  copies.forEach((el, k) => {
    for (const attr of [...el.attributes]) {
      if (attr.value.includes('var(')) el.setAttribute(attr.name, resolveVars(attr.value, live[k], view));
    }
  });
  clone.setAttribute('xmlns', SVG_NS);
  if (background) {
    const rect = doc.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('width', '100%');
    rect.setAttribute('height', '100%');
    rect.setAttribute('fill', resolveVars('var(--bg)', svg, view));
    clone.insertBefore(rect, clone.firstChild);
  }
  const Serializer = (view as (Window & typeof globalThis) | null)?.XMLSerializer ?? XMLSerializer;
  return new Serializer().serializeToString(clone);
}

/** Replaces var() references with the element's computed custom property, else the var()'s fallback, else our default. */
function resolveVars(value: string, el: Element, view: Window | null): string {
  const style = el.isConnected && view ? view.getComputedStyle(el) : null;
  let out = value;
  // Repeat: a fallback may itself be a var().
  for (let pass = 0; pass < 5 && out.includes('var('); pass++) {
    out = out.replace(VAR_RE, (_m, name: string, fallback?: string) => {
      const live = style?.getPropertyValue(name).trim();
      if (live) return live;
      if (fallback?.trim()) return fallback.trim();
      return THEME_FALLBACK[name.slice(2) as keyof typeof THEME_FALLBACK] ?? 'currentColor';
    });
  }
  return out;
}

/** Saves the chart as a standalone .svg file. */
export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  downloadText(svgToString(svg), filename, 'image/svg+xml');
}

/** Rasterizes the chart: the serialized SVG is loaded as an image and drawn on a canvas `scale` times its size. */
export async function svgToPngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 16)) throw new RangeError(`scale must be in (0, 16], got ${scale}`);
  const width = Number(svg.getAttribute('width')) || svg.clientWidth;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight;
  if (!(width > 0 && height > 0)) throw new RangeError('svg must have a width and height to be rasterized');
  const url = URL.createObjectURL(new Blob([svgToString(svg)], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const img = new Image(width, height);
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the browser could not load the chart as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas available to draw the PNG');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Starts a browser download of `blob` under `filename`. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking right after click() can cancel the download in some browsers; give it time.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Starts a download of a text file (UTF-8). */
export function downloadText(text: string, filename: string, mime = 'text/plain'): void {
  downloadBlob(new Blob([text], { type: `${mime};charset=utf-8` }), filename);
}

/** One row per pair: `dim,birth,death`, with `inf` for an essential class; numbers round-trip exactly. */
export function diagramsToCsv(dgms: Diagram[]): string {
  let out = 'dim,birth,death\n';
  dgms.forEach((dgm, dim) => {
    for (const p of dgm) out += `${dim},${num(p.birth)},${num(p.death)}\n`;
  });
  return out;
}

function num(x: number): string {
  return x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x);
}

/** The CLI's `ph` output: {"dgms": [[[birth, death], …], …]} with null for an infinite death (one line). */
export function diagramsToJson(dgms: Diagram[]): string {
  return JSON.stringify({ dgms: dgms.map((d) => d.map((p) => [p.birth, p.death === Infinity ? null : p.death])) }) + '\n';
}
