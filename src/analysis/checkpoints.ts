/**
 * The same layer across models (checkpoints of one training run, or any two models on the same images;
 * method.md §5): SW between their H1 diagrams and CKA between their clouds, layer by layer.
 */
import { linearCka } from '../similarity/cka';
import { slicedWasserstein, SW_DIRECTIONS } from '../tda/index';
import type { Diagram, PointCloud } from '../types';

/** SW between a[i] and b[i] for every layer i (the two lists in the same layer order). */
export function sameLayerDistances(a: Diagram[], b: Diagram[], M = SW_DIRECTIONS): number[] {
  return a.map((d, i) => slicedWasserstein(d, b[i] ?? [], M));
}

export interface ModelLayers {
  id: string;
  /** H1 diagram per layer. */
  h1: Diagram[];
  /** Cloud per layer (same images, same order). */
  clouds: PointCloud[];
}

export interface ModelPair {
  a: string;
  b: string;
  /** Per layer. */
  sw: number[];
  cka: number[];
}

/** Every pair of models a < b (in the given order), compared layer by layer. */
export function compareModels(models: ModelLayers[], M = SW_DIRECTIONS): ModelPair[] {
  const out: ModelPair[] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      out.push({
        a: models[a].id,
        b: models[b].id,
        sw: sameLayerDistances(models[a].h1, models[b].h1, M),
        cka: models[a].clouds.map((c, i) => linearCka(c, models[b].clouds[i])),
      });
    }
  }
  return out;
}
