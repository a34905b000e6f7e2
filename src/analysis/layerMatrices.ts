/**
 * How a model's layers relate (method.md §5): the layer × layer sliced-Wasserstein matrix of their H1 diagrams
 * beside the CKA matrix of their clouds.
 */

export interface LayerMatrices {
  k: number;
  /** Sliced Wasserstein (M directions) between the layers' H1 diagrams, k × k row-major. */
  sw: Float64Array;
  /** Linear (or debiased) CKA between the layers' clouds, k × k row-major. */
  cka: Float64Array;
  debiased: boolean;
}
