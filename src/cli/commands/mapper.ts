/**
 * `convtopo mapper`: the Mapper graph of a point cloud, printed as KeplerMapper-shaped JSON
 * ({"nodes": {id: [members]}, "links": {id: [ids]}, "meta": {...}}, plus "eps" and "purity").
 */
import { numberOption, requireString, UsageError, type ParsedOptions } from '../args';
import { BUDGET_OPTIONS, checkBudget } from '../budget';
import type { Command, CommandIO } from '../command';
import { readParsedFile } from '../files';
import { LIMITS } from '../limits';
import { parseLabelsFile, parseMatrixFile } from '../../io/pointCloudFile';
import { buildMapperInThreads } from '../../mapper/nodeThreads';
import { estimateMapperCost } from '../../mapper/cost';
import { MAPPER_LIMITS } from '../../mapper/limits';
import { LENS_NAMES, MAPPER_DEFAULTS, parseLens, toKeplerJson, type Clusterer, type LensSpec, type Metric } from '../../mapper/index';

const NAME = 'mapper';

function count(opts: ParsedOptions, name: string, min: number, max: number): number | undefined {
  return numberOption(opts, name, NAME, { min, max, integer: true, text: `an integer from ${min} to ${max}` });
}

function lensOption(opts: ParsedOptions, name: string): LensSpec | undefined {
  const v = opts[name];
  if (typeof v !== 'string') return undefined;
  try {
    return parseLens(v);
  } catch (err) {
    throw new UsageError(`${NAME}: --${name}: ${(err as Error).message}`);
  }
}

export const mapperCommand: Command = {
  name: NAME,
  summary: 'Mapper graph of a point cloud (KeplerMapper JSON with purity and the eps used)',
  options: {
    input: { type: 'string', description: 'point cloud: text (one point per line) or .npy (n × d); - reads stdin' },
    labels: { type: 'string', description: 'class labels, one integer per point (text or .npy): class histograms and purity' },
    lens: { type: 'string', description: `${LENS_NAMES.join(', ')}, density:BANDWIDTH, coordinate:K`, default: MAPPER_DEFAULTS.lens },
    lens2: { type: 'string', description: 'a second lens for a 2-D cover (products of intervals)' },
    intervals: { type: 'string', description: `intervals per lens dimension, integer 1–${LIMITS.intervals}`, default: String(MAPPER_DEFAULTS.nIntervals) },
    overlap: { type: 'string', description: `overlap of neighbouring intervals, in [0, ${MAPPER_LIMITS.overlap.max}]`, default: String(MAPPER_DEFAULTS.overlap) },
    clusterer: { type: 'string', description: 'dbscan, single, complete or average', default: 'dbscan' },
    eps: { type: 'string', description: "DBSCAN eps: 'knee' or a number > 0", default: 'knee' },
    'min-samples': { type: 'string', description: 'DBSCAN min_samples (self included), integer ≥ 1', default: String(MAPPER_DEFAULTS.minSamples) },
    'distance-threshold': { type: 'string', description: 'linkage: cut height ≥ 0 (or use --n-clusters)' },
    'n-clusters': { type: 'string', description: 'linkage: clusters per interval, integer ≥ 1' },
    metric: { type: 'string', description: 'euclidean or cosine', default: 'euclidean' },
    'min-intersection': { type: 'string', description: 'shared points needed for an edge, integer ≥ 1', default: '1' },
    ...BUDGET_OPTIONS,
  },
  async run(opts: ParsedOptions, io: CommandIO): Promise<number> {
    const input = requireString(opts, 'input', NAME);
    const nIntervals = count(opts, 'intervals', 1, LIMITS.intervals)!;
    const overlap = numberOption(opts, 'overlap', NAME, { ...MAPPER_LIMITS.overlap, text: `a number in [0, ${MAPPER_LIMITS.overlap.max}]` })!;
    const minSamples = count(opts, 'min-samples', 1, LIMITS.minSamples)!;
    const minIntersection = count(opts, 'min-intersection', 1, LIMITS.minIntersection)!;
    const clusterer = String(opts.clusterer) as Clusterer;
    if (!['dbscan', 'single', 'complete', 'average'].includes(clusterer)) {
      throw new UsageError(`${NAME}: --clusterer must be one of dbscan, single, complete, average (got "${clusterer}")`);
    }
    const metric = String(opts.metric) as Metric;
    if (metric !== 'euclidean' && metric !== 'cosine') {
      throw new UsageError(`${NAME}: --metric must be euclidean or cosine (got "${metric}")`);
    }
    const eps = opts.eps === 'knee' ? 'knee' : numberOption(opts, 'eps', NAME, { min: 0, minExclusive: true, text: "'knee' or a number > 0" })!;
    const distanceThreshold = numberOption(opts, 'distance-threshold', NAME, { min: 0, text: 'a number ≥ 0' });
    const nClusters = count(opts, 'n-clusters', 1, LIMITS.clustersPerInterval);
    if (clusterer !== 'dbscan' && (distanceThreshold === undefined) === (nClusters === undefined)) {
      throw new UsageError(`${NAME}: --clusterer ${clusterer} needs exactly one of --distance-threshold (≥ 0) or --n-clusters (integer ≥ 1)`);
    }
    const lens = lensOption(opts, 'lens')!;
    const lens2 = lensOption(opts, 'lens2');

    const cubes = MAPPER_LIMITS.coverSets.max;
    if (lens2 && nIntervals ** 2 > cubes) {
      throw new UsageError(`${NAME}: --intervals ${nIntervals} with --lens2 makes ${nIntervals ** 2} cubes; at most ${cubes} (--intervals ≤ ${Math.floor(Math.sqrt(cubes))})`);
    }

    const cloud = readParsedFile(input, 'input', (b) => parseMatrixFile(b, 'point'), io.stdin);
    const labels = typeof opts.labels === 'string' ? readParsedFile(opts.labels, 'labels', parseLabelsFile, io.stdin) : null;
    if (labels && labels.length !== cloud.n) {
      throw new UsageError(`${NAME}: --labels must hold one label per point: got ${labels.length} labels for ${cloud.n} points`);
    }
    if (labels && labels.some((l) => l < 0)) throw new UsageError(`${NAME}: --labels must be integers ≥ 0`);
    checkBudget(
      estimateMapperCost({ n: cloud.n, d: cloud.d, nIntervals, overlap, twoLenses: lens2 !== undefined }),
      `${cloud.n} points in R^${cloud.d}, ${nIntervals}${lens2 ? `×${nIntervals}` : ''} intervals`,
      opts, io, NAME,
    );
    let graph;
    try {
      // Worker threads share the kNN sweep and DBSCAN on large clouds (one thread below ~2 M coordinates).
      graph = await buildMapperInThreads(cloud, {
        lens, lens2, nIntervals, overlap, clusterer, eps, minSamples, metric, minIntersection, labels,
        distanceThreshold: clusterer === 'dbscan' ? undefined : distanceThreshold,
        nClusters: clusterer === 'dbscan' ? undefined : nClusters,
      });
    } catch (err) {
      // The engine's RangeErrors name the parameter and its range; they are the user's to fix (exit 2).
      if (err instanceof RangeError) throw new UsageError(`${NAME}: ${err.message}`);
      throw err;
    }
    io.stdout(JSON.stringify(toKeplerJson(graph)) + '\n');
    return 0;
  },
};
