/**
 * The keys of the page's jobs, one function a kind. A key names the content identity of everything its result is
 * computed from — the dataset's fingerprint, the model's id (bundled name, or a hash of a dropped model's topology
 * and weights), the cloud method and its parameters, the images chosen, the layer, every analysis parameter — so
 * equal keys mean equal inputs. Derived keys are built from the key of the result they read (not from the view),
 * so a result computed from old inputs can never be filed under the new ones.
 */
import { paramsKey } from './paramsKey';
import type { MapperParams } from './viewState';

export interface CloudInputs {
  /** Content fingerprint of the whole dataset the images are chosen from. */
  datasetFingerprint: string;
  modelId: string;
  cloud: string;
  pcaDim: number;
  /** Images used (0 = all) and the seed that picks them (and the random position). */
  n: number;
  seed: number;
  /** Images in the dataset: N ≥ this means all, so the seed does not matter. */
  datasetSize: number;
}

export function datasetKey(id: string): string {
  return `dataset|${id}`;
}

export function modelKey(id: string): string {
  return `model|${id}`;
}

export function cloudsKey(c: CloudInputs): string {
  const method = c.cloud === 'pca' ? `pca:${c.pcaDim}` : c.cloud;
  const subset = c.n > 0 && c.n < c.datasetSize;
  const seeded = c.cloud === 'random' || subset;
  return `clouds|ds=${c.datasetFingerprint}|model=${c.modelId}|${method}|n=${subset ? c.n : 'all'}|seed=${seeded ? c.seed : '-'}`;
}

/** One layer's cloud computed on its own ahead of the others (the same cloud as that layer's in the whole set). */
export function layerCloudKey(clouds: string, layer: number): string {
  return `cloud1|${clouds}|L${layer}`;
}

/** `landmarks`: the run on that many greedy-permutation landmarks (undefined: exact). */
export function persistenceKey(clouds: string, layer: number, maxdim: number, landmarks?: number): string {
  return `ph|${clouds}|L${layer}|d${maxdim}${landmarks === undefined ? '' : `|lm${landmarks}`}`;
}

/** The loop of H1 class `index` (its bar named too) of the run filed under `persistence` (which names the cloud). */
export function loopKey(persistence: string, index: number, birth: number, death: number): string {
  return `loop|${persistence}|H1#${index}|b=${birth}|d=${death}`;
}

export function allPersistenceKey(clouds: string, maxdim: number, landmarks?: number): string {
  return `phall|${clouds}|d${maxdim}${landmarks === undefined ? '' : `|lm${landmarks}`}`;
}

/** Built from the all-layers persistence key, which already names the clouds and the dimension. */
export function matricesKey(allPersistence: string, debiased: boolean, slicedKind = 'persim'): string {
  return `matrices|${allPersistence}|${debiased ? 'debiased' : 'linear'}|sw=${slicedKind}`;
}

export function sensitivityKey(clouds: string, layer: number): string {
  return `sens|${clouds}|L${layer}`;
}

/** RTD's sampling in a key: images per trial, trials, seed. */
export interface RtdSampling {
  sample: number;
  trials: number;
  seed: number;
}

const rtdSampling = (s: RtdSampling) => `s=${s.sample}|T=${s.trials}|seed=${s.seed}`;

/** RTD of the clouds' layers: one layer's row (row = its 0-based position) or every pair (row = 'all'). */
export function rtdKey(clouds: string, row: number | 'all', s: RtdSampling): string {
  return `rtd|${clouds}|${row === 'all' ? 'all' : `row${row}`}|${rtdSampling(s)}`;
}

/** One pair's cross-barcodes (positions i, j in the clouds' layer list, in this order: r₁ from i). */
export function crossBarcodeKey(clouds: string, i: number, j: number, s: Omit<RtdSampling, 'trials'>): string {
  return `xbar|${clouds}|${i},${j}|s=${s.sample}|seed=${s.seed}`;
}

/** Every Mapper parameter, derived from the object (a parameter added to MapperParams is in the key unlisted). */
export function mapperParamsKey(m: MapperParams): string {
  return paramsKey(m);
}

export function mapperKey(clouds: string, layer: number, m: MapperParams): string {
  return `mapper|${clouds}|L${layer}|${mapperParamsKey(m)}`;
}

export function purityKey(clouds: string, m: MapperParams): string {
  return `purity|${clouds}|${mapperParamsKey(m)}`;
}

/** Two models' layers against each other (same layer and the cross blocks): both persistence keys name both sides. */
export function acrossModelsKey(allA: string, allB: string): string {
  return `across|${allA}|vs|${allB}`;
}

/** Same layers of two models: the two all-layers persistence keys name both sides. */
export function compareKey(allA: string, allB: string): string {
  return `cmp|${allA}|vs|${allB}`;
}
