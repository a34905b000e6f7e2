/**
 * Colours shared by all charts. Theme colours are CSS variables set by the page (light and dark themes), each with a
 * light-theme fallback so a chart still reads when mounted outside the page (tests, exported SVG).
 */

/** Okabe & Ito (2008): eight colours distinguishable under the common colour-vision deficiencies. */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

// H0 blue and H1 vermillion are the pair that stays apart under every deficiency; yellow is left last (poor on white).
const DIM_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.orange];

/** Colour of homology dimension `dim` (H0, H1, H2 … are always distinct up to H4). */
export function dimColor(dim: number): string {
  return DIM_COLORS[((dim % DIM_COLORS.length) + DIM_COLORS.length) % DIM_COLORS.length];
}

/** Colours for the i-th series of a line chart when the caller gives none. */
export const SERIES_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.orange, OKABE_ITO.skyBlue];

/** Light-theme values of the page's variables (src/ui/styles.css), used as var() fallbacks. */
export const THEME_FALLBACK = {
  fg: '#1d1d1f',
  muted: '#6b6b70',
  border: '#d9d9d6',
  accent: '#0072b2',
  bg: '#fbfbfa',
} as const;

export type ThemeVar = keyof typeof THEME_FALLBACK;

/** `var(--name, fallback)` for a style property, so a theme switch recolours the chart without a redraw. */
export function cssVar(name: ThemeVar): string {
  return `var(--${name}, ${THEME_FALLBACK[name]})`;
}

/**
 * Class colours: Paul Tol's "muted" scheme (10 colours, distinguishable with the common colour-vision deficiencies),
 * kept apart from the Okabe–Ito colours above, which mean homology dimensions and series. Beyond 10 classes the
 * colours repeat.
 */
export const CLASS_COLORS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#BBBBBB'];

export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}
