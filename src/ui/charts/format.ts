import { format } from 'd3';

const sig4 = format('.4~g');

/** A number as charts print it: 4 significant digits, '∞' for infinities, 'n/a' for NaN or missing. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  return sig4(x);
}

/** Homology dimension as a label: 'H1'. */
export function dimLabel(dim: number): string {
  return `H${dim}`;
}
