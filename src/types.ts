/** Plain data handed from one stage of the pipeline to the next (see shared/docs/style.md). */

/** n points in R^d, row-major. */
export interface PointCloud {
  data: Float32Array;
  n: number;
  d: number;
}

/** One bar of a persistence diagram; `death` is `Infinity` for an essential class. */
export interface PersistencePair {
  birth: number;
  death: number;
}

/** A persistence diagram in one homology dimension. */
export type Diagram = PersistencePair[];

/** Labels of the points of a cloud, one class index per point. */
export type Labels = Int32Array;
