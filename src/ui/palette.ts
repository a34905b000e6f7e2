/**
 * Colours. Classes use Paul Tol's "muted" scheme (10 colours, distinguishable with the common colour-vision
 * deficiencies); beyond 10 classes colours repeat with a lighter variant.
 */
export const CLASS_COLORS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#BBBBBB'];

export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}
