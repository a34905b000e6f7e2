/**
 * Everything that shapes the view lives in one typed ViewState with one encoder/decoder, so a URL restores the
 * exact view. Only values that differ from the defaults are written; a wrong value falls back to its default and
 * is reported by name so the page can say which field of a shared link was bad.
 */
import { LENS_NAMES, type LensName } from '../mapper/lens';
import { MAPPER_DEFAULTS, MAPPER_PAGE_LIMITS } from '../mapper/limits';
import { SLICED_KINDS, type SlicedKind } from '../tda/slicedWassersteinExact';
import { CLOUD_METHOD_IDS, type CloudMethodId } from '../model/cloudMethods';
import { DEFAULT_LANDMARKS, parseLandmarks, type LandmarkSetting } from './persistencePlan';

export const VIEWS = ['persistence', 'layers', 'mapper', 'images', 'paper'] as const;
/** The cloud-method registry's ids (src/model/cloudMethods.ts), in its order. */
export const CLOUDS = CLOUD_METHOD_IDS;
/** The lens registry's ids (src/mapper/lens.ts), in its order. */
export const LENSES: readonly LensName[] = LENS_NAMES;
export const CLUSTERERS = ['dbscan', 'single', 'complete', 'average'] as const;
export const METRICS = ['euclidean', 'cosine'] as const;

export type View = (typeof VIEWS)[number];
export type CloudMethod = CloudMethodId;
export type { LensName };
export type ClustererName = (typeof CLUSTERERS)[number];
export type MetricName = (typeof METRICS)[number];

export interface MapperParams {
  lens: LensName;
  intervals: number;
  overlap: number;
  clusterer: ClustererName;
  /** DBSCAN eps: 'knee' or a positive number; for linkage, the cut height ('knee' cuts at the knee distance too). */
  eps: 'knee' | number;
  minSamples: number;
  metric: MetricName;
}

export interface ViewState {
  dataset: string;
  /** For a dropped dataset: the fingerprint the page checks the re-dropped files against. */
  fingerprint: string;
  model: string;
  /** 1-based layer number. */
  layer: number;
  cloud: CloudMethod;
  /** Target dimension of the PCA cloud. */
  pcaDim: number;
  /** Images used (0 = all of the dataset). */
  n: number;
  seed: number;
  /** Homology dimensions shown. */
  dims: number[];
  maxdim: 1 | 2;
  view: View;
  mapper: MapperParams;
  /** Selected Mapper node id, or ''. */
  node: string;
  /** Model compared against in the Layers view, or ''. */
  compare: string;
  debiasedCka: boolean;
  /** The Layers view's sliced Wasserstein: persim's (M = 50) or the exact integral. */
  slicedKind: SlicedKind;
  /** Selected cell of the layer matrices as "i,j", or ''. */
  cell: string;
  /** Persistence exactly, on N greedy-permutation landmarks, or ask when a layer is estimated long (persistencePlan.ts). */
  landmarks: LandmarkSetting;
}

/** The core's MAPPER_DEFAULTS under the view's parameter names. */
export const DEFAULT_MAPPER: MapperParams = {
  lens: MAPPER_DEFAULTS.lens,
  intervals: MAPPER_DEFAULTS.nIntervals,
  overlap: MAPPER_DEFAULTS.overlap,
  clusterer: MAPPER_DEFAULTS.clusterer,
  eps: MAPPER_DEFAULTS.eps,
  minSamples: MAPPER_DEFAULTS.minSamples,
  metric: MAPPER_DEFAULTS.metric,
};

export const DEFAULT_VIEW: ViewState = {
  dataset: 'fashion-mnist-1000',
  fingerprint: '',
  model: 'resnet18q-final',
  layer: 1,
  cloud: 'top-l2',
  pcaDim: 32,
  n: 0,
  seed: 0,
  dims: [0, 1],
  maxdim: 1,
  view: 'persistence',
  mapper: DEFAULT_MAPPER,
  node: '',
  compare: '',
  debiasedCka: false,
  slicedKind: 'persim',
  cell: '',
  landmarks: DEFAULT_LANDMARKS,
};

const ID = /^[A-Za-z0-9._:-]{1,80}$/;

type Field = {
  key: string;
  get: (s: ViewState) => string;
  set: (s: ViewState, raw: string) => boolean;
};

function intIn(raw: string, min: number, max: number): number | null {
  if (!/^-?\d+$/.test(raw)) return null;
  const x = Number(raw);
  return x >= min && x <= max ? x : null;
}

function oneOf<T extends string>(list: readonly T[], raw: string): T | null {
  return (list as readonly string[]).includes(raw) ? (raw as T) : null;
}

const FIELDS: Field[] = [
  { key: 'dataset', get: (s) => s.dataset, set: (s, r) => ID.test(r) && ((s.dataset = r), true) },
  { key: 'fp', get: (s) => s.fingerprint, set: (s, r) => /^[0-9a-f]{8,64}$/.test(r) && ((s.fingerprint = r), true) },
  { key: 'model', get: (s) => s.model, set: (s, r) => ID.test(r) && ((s.model = r), true) },
  { key: 'layer', get: (s) => String(s.layer), set: (s, r) => { const v = intIn(r, 1, 999); return v !== null && ((s.layer = v), true); } },
  { key: 'cloud', get: (s) => s.cloud, set: (s, r) => { const v = oneOf(CLOUDS, r); return v !== null && ((s.cloud = v), true); } },
  { key: 'pcaDim', get: (s) => String(s.pcaDim), set: (s, r) => { const v = intIn(r, 1, 512); return v !== null && ((s.pcaDim = v), true); } },
  { key: 'n', get: (s) => String(s.n), set: (s, r) => { const v = intIn(r, 0, 100000); return v !== null && ((s.n = v), true); } },
  { key: 'seed', get: (s) => String(s.seed), set: (s, r) => { const v = intIn(r, 0, 2 ** 31 - 1); return v !== null && ((s.seed = v), true); } },
  {
    key: 'dims',
    get: (s) => s.dims.join(''),
    set: (s, r) => {
      if (!/^[012]{1,3}$/.test(r)) return false;
      const dims = [...new Set(r.split('').map(Number))].sort();
      s.dims = dims;
      return true;
    },
  },
  { key: 'maxdim', get: (s) => String(s.maxdim), set: (s, r) => (r === '1' || r === '2') && ((s.maxdim = Number(r) as 1 | 2), true) },
  { key: 'view', get: (s) => s.view, set: (s, r) => { const v = oneOf(VIEWS, r); return v !== null && ((s.view = v), true); } },
  { key: 'lens', get: (s) => s.mapper.lens, set: (s, r) => { const v = oneOf(LENSES, r); return v !== null && ((s.mapper.lens = v), true); } },
  { key: 'intervals', get: (s) => String(s.mapper.intervals), set: (s, r) => { const v = intIn(r, 1, MAPPER_PAGE_LIMITS.nIntervals.max); return v !== null && ((s.mapper.intervals = v), true); } },
  {
    key: 'overlap',
    get: (s) => String(s.mapper.overlap),
    set: (s, r) => {
      const v = Number(r);
      return r.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= MAPPER_PAGE_LIMITS.overlap.max && ((s.mapper.overlap = v), true);
    },
  },
  { key: 'clusterer', get: (s) => s.mapper.clusterer, set: (s, r) => { const v = oneOf(CLUSTERERS, r); return v !== null && ((s.mapper.clusterer = v), true); } },
  {
    key: 'eps',
    get: (s) => String(s.mapper.eps),
    set: (s, r) => {
      if (r === 'knee') return (s.mapper.eps = 'knee'), true;
      const v = Number(r);
      return r.trim() !== '' && Number.isFinite(v) && v > 0 && ((s.mapper.eps = v), true);
    },
  },
  { key: 'minSamples', get: (s) => String(s.mapper.minSamples), set: (s, r) => { const v = intIn(r, 1, 1000); return v !== null && ((s.mapper.minSamples = v), true); } },
  { key: 'metric', get: (s) => s.mapper.metric, set: (s, r) => { const v = oneOf(METRICS, r); return v !== null && ((s.mapper.metric = v), true); } },
  { key: 'node', get: (s) => s.node, set: (s, r) => /^[A-Za-z0-9_]{1,80}$/.test(r) && ((s.node = r), true) },
  { key: 'compare', get: (s) => s.compare, set: (s, r) => ID.test(r) && ((s.compare = r), true) },
  { key: 'sw', get: (s) => s.slicedKind, set: (s, r) => { const v = oneOf(SLICED_KINDS, r); return v !== null && ((s.slicedKind = v), true); } },
  { key: 'cka', get: (s) => (s.debiasedCka ? 'debiased' : 'linear'), set: (s, r) => (r === 'linear' || r === 'debiased') && ((s.debiasedCka = r === 'debiased'), true) },
  { key: 'cell', get: (s) => s.cell, set: (s, r) => /^\d{1,3},\d{1,3}$/.test(r) && ((s.cell = r), true) },
  { key: 'landmarks', get: (s) => String(s.landmarks), set: (s, r) => { const v = parseLandmarks(r); return v !== null && ((s.landmarks = v), true); } },
];

export function cloneView(s: ViewState): ViewState {
  return { ...s, dims: [...s.dims], mapper: { ...s.mapper } };
}

/** The query string (without '?') holding the fields that differ from the defaults, in a fixed order. */
export function encodeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const v = f.get(state);
    if (v !== f.get(DEFAULT_VIEW)) params.set(f.key, v);
  }
  return params.toString();
}

export interface DecodedView {
  state: ViewState;
  /** Names of the fields whose values were invalid and fell back to their defaults. */
  invalid: string[];
  /** Parameters the page does not know (ignored). */
  unknown: string[];
  /** Values beyond what the page allows, brought to the limit: what was asked and what is used. */
  clamped: { field: string; asked: string; used: string }[];
}

/** Values past a limit but otherwise sensible: the page uses the limit instead of the default. */
function clampToLimit(key: string, raw: string): string | null {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) return null;
  if (key === 'intervals' && Number.isInteger(v) && v > MAPPER_PAGE_LIMITS.nIntervals.max) return String(MAPPER_PAGE_LIMITS.nIntervals.max);
  if (key === 'overlap' && v > MAPPER_PAGE_LIMITS.overlap.max && v < 1) return String(MAPPER_PAGE_LIMITS.overlap.max);
  return null;
}

export function decodeViewState(query: string): DecodedView {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const state = cloneView(DEFAULT_VIEW);
  const invalid: string[] = [];
  const clamped: DecodedView['clamped'] = [];
  const known = new Set(FIELDS.map((f) => f.key));
  for (const f of FIELDS) {
    let raw = params.get(f.key);
    if (raw === null) continue;
    const limited = clampToLimit(f.key, raw);
    if (limited !== null) {
      clamped.push({ field: f.key, asked: raw, used: limited });
      raw = limited;
    }
    const attempt = cloneView(state);
    if (f.set(attempt, raw)) Object.assign(state, attempt);
    else invalid.push(f.key);
  }
  const unknown = [...params.keys()].filter((k) => !known.has(k));
  return { state, invalid, unknown, clamped };
}
