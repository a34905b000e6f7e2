import { format } from 'd3';

const sig4 = format('.4~g');

/** A number as charts print it: 4 significant digits, '∞' for infinities, 'n/a' for NaN or missing. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  return sig4(x);
}

/** XML-escape text for element content and attributes (SVG written as a string). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Homology dimension as a label: 'H1'. */
export function dimLabel(dim: number): string {
  return `H${dim}`;
}
