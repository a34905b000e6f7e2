/**
 * The PC-removal sensitivity test (method.md §5, after Ding, Denain & Steinhardt 2021): remove a layer's top-k
 * principal components and see how far each similarity measure moves.
 */

export interface Sensitivity {
  /** Number of top principal components removed. */
  removed: number[];
  /** SW between the H1 diagram of the original cloud and of the reduced one. */
  sw: number[];
  /** 1 − linear CKA between the original cloud and the reduced one. */
  oneMinusCka: number[];
}
