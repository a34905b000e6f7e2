import { requirePositive } from './frame';
import { escapeXml, fmt } from './format';
import { cssVar } from './theme';

export interface SparklineOptions {
  /** The value that fills the whole bar (e.g. the largest over all layers). */
  max: number;
  width?: number; // default 44
  height?: number; // default 8
  color?: string; // default var(--accent)
  /** Hover text; defaults to the value with 4 significant digits. */
  title?: string;
}

/**
 * A tiny inline bar (value / max of the width) as SVG markup, for the layer strip. A string rather than a handle:
 * the strip draws dozens of them and re-renders often. Missing/NaN values draw only the track.
 */
export function sparklineSvg(value: number | null, options: SparklineOptions): string {
  const { max, width = 44, height = 8, color = cssVar('accent') } = options;
  requirePositive('max', max);
  requirePositive('width', width);
  requirePositive('height', height);
  const ok = value !== null && Number.isFinite(value);
  const w = ok ? Math.max(0, Math.min(1, value / max)) * width : 0;
  const title = escapeXml(options.title ?? fmt(value));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<rect width="${width}" height="${height}" rx="1.5" style="fill: ${cssVar('border')}"/>` +
    (ok ? `<rect class="sparkline-bar" width="${round(w)}" height="${height}" rx="1.5" style="fill: ${escapeXml(color)}"/>` : '') +
    `</svg>`
  );
}

/** Renders `sparklineSvg` into `el` (replacing its content) with the usual update/destroy handle. */
export function renderSparkline(el: HTMLElement, value: number | null, options: SparklineOptions) {
  let opts = options;
  el.innerHTML = sparklineSvg(value, opts);
  return {
    update(next: number | null, nextOptions?: Partial<SparklineOptions>): void {
      if (nextOptions) opts = { ...opts, ...nextOptions };
      el.innerHTML = sparklineSvg(next, opts);
    },
    destroy(): void {
      el.innerHTML = '';
    },
    svg: () => el.querySelector('svg') as SVGSVGElement,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
