/**
 * buildMapper: lens → cover → cluster each cover set on the original points → nerve graph (method.md §6).
 * Async only so that a worker can hear a cancel message: the run yields to the event loop every ~50 ms.
 */
import type { PointCloud } from '../types';
import { leafBlocks, type LeafBlocks } from './blocks';
import { checkCoverParams, cover, type Cover } from './cover';
import { checkDbscanParams, dbscan } from './dbscan';
import { classHistogram, components, graphPurity, nerveEdges, type MapperEdge, type MapperNode, type Purity } from './graph';
import { kDistances, kneeFromDistances } from './knee';
import { knnJob, type KNearest } from './knn';
import { computeLens, lensLabel, type LensSpec } from './lens';
import type { MapperLayout } from './layout';
import { checkCount, MAPPER_DEFAULTS, MAPPER_LIMITS } from './limits';
import { checkLinkageParams, linkage, type LinkageMethod } from './linkage';
import { checkMetric, metricSpace, type Metric } from './space';
import { abortError } from '../abort';

export type Clusterer = 'dbscan' | LinkageMethod;

/** Options of buildMapper; every default is the paper's. */
export interface MapperOptions {
  /** Lens (filter function). Default 'l2norm'. */
  lens?: LensSpec;
  /** A second lens for a 2-D cover (products of intervals). Default none (1-D cover). */
  lens2?: LensSpec | null;
  /** Intervals per lens dimension (MAPPER_LIMITS: 1–10 000, and at most 100 000 cover sets). Default 40. */
  nIntervals?: number;
  /** Overlap of neighbouring intervals, in [0, 0.99]. Default 0.4. */
  overlap?: number;
  /** Clusterer run inside each cover set. Default 'dbscan'. */
  clusterer?: Clusterer;
  /** DBSCAN radius: a number > 0, or 'knee' (knee of the sorted minSamples-distance curve of the whole cloud). Default 'knee'. */
  eps?: number | 'knee';
  /** DBSCAN min_samples (self included), integer 1–1000. Default 5. */
  minSamples?: number;
  /** Linkage cut height (metric units, ≥ 0). One of distanceThreshold / nClusters is needed for linkage. */
  distanceThreshold?: number;
  /** Linkage: number of clusters per cover set (sets with fewer points are skipped, like KeplerMapper). */
  nClusters?: number;
  /** Distance for clustering: 'euclidean' (default) or 'cosine'. */
  metric?: Metric;
  /** Shared points needed for an edge, integer ≥ 1. Default 1. */
  minIntersection?: number;
  /** Class label per point (integers ≥ 0): enables class histograms and purity. Default none. */
  labels?: ArrayLike<number> | null;
}

export interface MapperProgress {
  phase: 'neighbours' | 'intervals';
  done: number;
  total: number;
}

export interface MapperHooks {
  onProgress?: (p: MapperProgress) => void;
  /** Aborting rejects the run with an Error named 'AbortError'. */
  signal?: AbortSignal;
  /** How long to compute between yields to the event loop. Default 50 ms. */
  yieldEveryMs?: number;
  /**
   * Computes the knee's k nearest neighbours instead of the built-in single-thread sweep, e.g. on worker threads too
   * (nodeThreads.ts, Node only). `blocks()` builds the run's blocks (once), so the hook can start threads before.
   * Must return exactly what kNearest returns.
   */
  kNearest?: (blocks: () => LeafBlocks, k: number) => Promise<KNearest>;
  /** Runs DBSCAN on every cover set instead of the built-in loop. Must return, per set, what dbscan returns. */
  clusterSets?: (job: ClusterSetsJob) => Promise<Int32Array[]>;
}

/** The cover sets' DBSCAN of one run: every set's members (point indices, ascending) on the run's blocks. */
export interface ClusterSetsJob {
  blocks: LeafBlocks;
  sets: Int32Array[];
  eps: number;
  minSamples: number;
  knn?: KNearest;
}

export interface MapperGraph {
  nodes: MapperNode[];
  edges: MapperEdge[];
  /** Component id per node. */
  components: Int32Array;
  nComponents: number;
  /** The DBSCAN eps used (the knee's when eps = 'knee'); null for linkage. */
  eps: number | null;
  purity: Purity | null;
  /** Lens values per lens dimension. */
  lens: Float64Array[];
  cover: Pick<Cover, 'centers' | 'radius'>;
  nPoints: number;
  /** Node positions for drawing (layout.ts): filled in by the Mapper job API (the page's worker), not by buildMapper. */
  layout?: MapperLayout;
  /** The options in force, defaults filled in (labels and precomputed lens values left out). */
  params: {
    lens: string[];
    nIntervals: number;
    overlap: number;
    clusterer: Clusterer;
    eps: number | 'knee' | null;
    minSamples: number;
    distanceThreshold: number | null;
    nClusters: number | null;
    metric: Metric;
    minIntersection: number;
  };
}


/** Check every option (message names the option and its allowed range) and fill in the defaults. */
export function resolveMapperOptions(cloud: PointCloud, o: MapperOptions): Required<Omit<MapperOptions, 'labels' | 'lens2' | 'distanceThreshold' | 'nClusters'>> & Pick<MapperOptions, 'labels' | 'lens2' | 'distanceThreshold' | 'nClusters'> {
  const D = MAPPER_DEFAULTS;
  const r = {
    lens: o.lens ?? D.lens,
    lens2: o.lens2 ?? D.lens2,
    nIntervals: o.nIntervals ?? D.nIntervals,
    overlap: o.overlap ?? D.overlap,
    clusterer: o.clusterer ?? D.clusterer,
    eps: o.eps ?? D.eps,
    minSamples: o.minSamples ?? D.minSamples,
    distanceThreshold: o.distanceThreshold,
    nClusters: o.nClusters,
    metric: o.metric ?? D.metric,
    minIntersection: o.minIntersection ?? D.minIntersection,
    labels: o.labels ?? null,
  };
  // Every count is checked against MAPPER_LIMITS here, before the lens or the cover allocates anything.
  checkCoverParams(r.nIntervals, r.overlap, r.lens2 ? 2 : 1);
  checkMetric(r.metric);
  checkCount('minIntersection', r.minIntersection, MAPPER_LIMITS.minIntersection);
  if (r.clusterer === 'dbscan') {
    if (r.eps !== 'knee') checkDbscanParams(r.eps, r.minSamples);
    else checkDbscanParams(1, r.minSamples);
  } else if (r.clusterer === 'single' || r.clusterer === 'complete' || r.clusterer === 'average') {
    checkLinkageParams({ method: r.clusterer, distanceThreshold: r.distanceThreshold, nClusters: r.nClusters });
  } else {
    throw new RangeError(`clusterer must be 'dbscan', 'single', 'complete' or 'average' (got ${JSON.stringify(r.clusterer)})`);
  }
  if (r.labels && r.labels.length !== cloud.n) {
    throw new RangeError(`labels must give one label per point: got ${r.labels.length} labels for ${cloud.n} points`);
  }
  if (cloud.n < 1) throw new RangeError('the point cloud is empty');
  return r;
}

/** Build the Mapper graph of a point cloud. */
export async function buildMapper(cloud: PointCloud, options: MapperOptions = {}, hooks: MapperHooks = {}): Promise<MapperGraph> {
  const o = resolveMapperOptions(cloud, options);
  const { signal, onProgress } = hooks;
  const yieldEvery = hooks.yieldEveryMs ?? 50;
  let last = Date.now();
  // Between steps: give the event loop a turn (so a cancel message can arrive), then honour it.
  const breathe = async (force = false): Promise<void> => {
    if (force || Date.now() - last >= yieldEvery) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = Date.now();
    }
    if (signal?.aborted) throw abortError();
  };
  await breathe(true);

  const lens = [computeLens(cloud, o.lens)];
  if (o.lens2) lens.push(computeLens(cloud, o.lens2));
  await breathe();
  const cov = cover(lens.length === 1 ? lens[0] : lens, { nIntervals: o.nIntervals, overlap: o.overlap });
  const space = metricSpace(cloud, o.metric);

  // The knee needs every point's minSamples nearest neighbours; DBSCAN then reuses them as core evidence. Both
  // work on one set of blocks over the whole cloud.
  let eps: number | null = null;
  let knn: KNearest | undefined;
  let blocks: LeafBlocks | undefined;
  const runBlocks = (): LeafBlocks => (blocks ??= leafBlocks(space));
  if (o.clusterer === 'dbscan') {
    if (o.eps === 'knee' && hooks.kNearest) {
      knn = await hooks.kNearest(runBlocks, o.minSamples);
      onProgress?.({ phase: 'neighbours', done: 1, total: 1 });
      await breathe();
      eps = kneeFromDistances(kDistances(space, knn));
    } else if (o.eps === 'knee') {
      runBlocks();
      await breathe();
      const job = knnJob(runBlocks(), o.minSamples);
      for (let step = 0; step < job.nSteps; step++) {
        job.step(step);
        onProgress?.({ phase: 'neighbours', done: step + 1, total: job.nSteps });
        await breathe();
      }
      knn = job.result();
      eps = kneeFromDistances(kDistances(space, knn));
    } else {
      eps = o.eps;
      runBlocks();
    }
  }

  const labels = o.labels;
  let nClasses = 0;
  if (labels) for (let i = 0; i < labels.length; i++) nClasses = Math.max(nClasses, labels[i] + 1);
  const nodes: MapperNode[] = [];
  const sets = cov.sets;
  const clustered = o.clusterer === 'dbscan' && hooks.clusterSets
    ? await hooks.clusterSets({ blocks: runBlocks(), sets: sets.map((set) => set.members), eps: eps!, minSamples: o.minSamples, knn })
    : null;
  for (let s = 0; s < sets.length; s++) {
    const { members, index, cell } = sets[s];
    let assign: Int32Array | null = clustered ? clustered[s] : null;
    if (members.length > 0 && !clustered) {
      if (o.clusterer === 'dbscan') {
        assign = dbscan(space, { eps: eps!, minSamples: o.minSamples, subset: members, knn, blocks });
      } else if (o.nClusters === undefined || members.length >= o.nClusters) {
        assign = linkage(space, { method: o.clusterer, distanceThreshold: o.distanceThreshold, nClusters: o.nClusters, subset: members });
      }
    }
    if (assign) {
      let k = 0;
      for (let p = 0; p < assign.length; p++) k = Math.max(k, assign[p] + 1);
      const groups: number[][] = Array.from({ length: k }, () => []);
      for (let p = 0; p < assign.length; p++) if (assign[p] >= 0) groups[assign[p]].push(members[p]);
      groups.forEach((g, j) => {
        const m = Int32Array.from(g);
        nodes.push({
          id: `cube${index}_cluster${j}`,
          interval: index,
          cell,
          cluster: j,
          members: m,
          meanLens: lens.map((l) => g.reduce((acc, i) => acc + l[i], 0) / g.length),
          classCounts: labels ? classHistogram(m, labels, nClasses) : null,
        });
      });
    }
    onProgress?.({ phase: 'intervals', done: s + 1, total: sets.length });
    await breathe();
  }

  const edges = nerveEdges(nodes, cloud.n, o.minIntersection);
  const comp = components(nodes.length, edges);
  return {
    nodes,
    edges,
    components: comp.component,
    nComponents: comp.count,
    eps,
    purity: labels ? graphPurity(nodes, labels) : null,
    lens,
    cover: { centers: cov.centers, radius: cov.radius },
    nPoints: cloud.n,
    params: {
      lens: [o.lens, ...(o.lens2 ? [o.lens2] : [])].map(lensLabel),
      nIntervals: o.nIntervals,
      overlap: o.overlap,
      clusterer: o.clusterer,
      eps: o.clusterer === 'dbscan' ? o.eps : null,
      minSamples: o.minSamples,
      distanceThreshold: o.distanceThreshold ?? null,
      nClusters: o.nClusters ?? null,
      metric: o.metric,
      minIntersection: o.minIntersection,
    },
  };
}

/** KeplerMapper's JSON shape: {nodes: {id: [members]}, links: {id: [ids]}, meta}, plus eps and purity. */
export function toKeplerJson(graph: MapperGraph): {
  nodes: Record<string, number[]>;
  links: Record<string, string[]>;
  meta: Record<string, unknown>;
  eps: number | null;
  purity: number | null;
} {
  const nodes: Record<string, number[]> = {};
  for (const nd of graph.nodes) nodes[nd.id] = Array.from(nd.members);
  const links: Record<string, string[]> = {};
  for (const e of graph.edges) (links[graph.nodes[e.source].id] ??= []).push(graph.nodes[e.target].id);
  const p = graph.params;
  return {
    nodes,
    links,
    meta: {
      projection: p.lens.length === 1 ? p.lens[0] : p.lens,
      n_cubes: p.nIntervals,
      perc_overlap: p.overlap,
      clusterer: p.clusterer === 'dbscan'
        ? `DBSCAN(eps=${graph.eps}, min_samples=${p.minSamples}, metric='${p.metric}')`
        : `linkage(method='${p.clusterer}', ${p.nClusters !== null ? `n_clusters=${p.nClusters}` : `distance_threshold=${p.distanceThreshold}`}, metric='${p.metric}')`,
      nerve: { name: 'GraphNerve', min_intersection: p.minIntersection },
      n_points: graph.nPoints,
      n_nodes: graph.nodes.length,
      n_edges: graph.edges.length,
      n_components: graph.nComponents,
    },
    eps: graph.eps,
    purity: graph.purity ? graph.purity.graph : null,
  };
}
