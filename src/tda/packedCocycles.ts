/**
 * H1 cocycles packed in two typed arrays for crossing a thread: at 10 000 points a diagram's cocycles are millions
 * of [i, j] pairs, and structured-cloning them as nested arrays blocked the page's main thread for over a second
 * per layer (issue 15); two Int32Arrays are transferred in no time and cost the job cache no walk. Aligned with
 * `dgms[1]`: cocycle k's edges are pairs offsets[k] … offsets[k + 1] − 1 of `edges` (i, j with i > j; the first is
 * the birth edge). Loops are not packed: they are closed one class at a time (`closeLoop`).
 */
import type { Diagram } from '../types';
import type { H1Cocycle } from './ripser';

export interface PackedCocycles {
  /** count + 1 pair offsets. */
  offsets: Int32Array<ArrayBuffer>;
  /** 2 per edge: i, j. */
  edges: Int32Array<ArrayBuffer>;
}

export function packCocycles(cocycles: readonly H1Cocycle[]): PackedCocycles {
  const offsets = new Int32Array(cocycles.length + 1);
  for (let k = 0; k < cocycles.length; k++) offsets[k + 1] = offsets[k] + cocycles[k].edges.length;
  const edges = new Int32Array(2 * offsets[cocycles.length]);
  let at = 0;
  for (const c of cocycles) for (const [i, j] of c.edges) {
    edges[at++] = i;
    edges[at++] = j;
  }
  return { offsets, edges };
}

export function cocycleCount(packed: PackedCocycles): number {
  return packed.offsets.length - 1;
}

/** Cocycle k with its bar from the H1 diagram it is aligned with (what `closeLoop` reads). */
export function unpackCocycle(packed: PackedCocycles, h1: Diagram, k: number): Pick<H1Cocycle, 'birth' | 'death' | 'edges'> {
  if (!(Number.isInteger(k) && k >= 0 && k < cocycleCount(packed) && k < h1.length)) throw new RangeError(`no H1 class ${k} (the diagram has ${h1.length})`);
  return { birth: h1[k].birth, death: h1[k].death, edges: edgePairs(packed.edges, packed.offsets[k], packed.offsets[k + 1]) };
}

/** Edges from..to − 1 of a flat i, j list (all of it by default) as [i, j] pairs, the form `closeLoop` reads. */
export function edgePairs(flat: Int32Array, from = 0, to = flat.length >> 1): [number, number][] {
  const edges: [number, number][] = [];
  for (let e = from; e < to; e++) edges.push([flat[2 * e], flat[2 * e + 1]]);
  return edges;
}

/** Cocycle k's edges as i, j pairs, copied out (a view would carry the whole buffer across a thread). */
export function cocycleEdges(packed: PackedCocycles, k: number): Int32Array<ArrayBuffer> {
  if (!(Number.isInteger(k) && k >= 0 && k < cocycleCount(packed))) throw new RangeError(`no H1 class ${k} (there are ${cocycleCount(packed)})`);
  return packed.edges.slice(2 * packed.offsets[k], 2 * packed.offsets[k + 1]);
}
