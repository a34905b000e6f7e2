/**
 * `convtopo ph --input FILE [--maxdim 1] [--metric euclidean] [--threshold T] [--cocycles] [--format cloud|distance]`:
 * Vietoris–Rips persistence of a point cloud (text or .npy) or of a distance matrix, printed as JSON
 * {"dgms": [[[birth, death], …], …]} with null for an infinite death (+ "cocycles" with --cocycles).
 * `--landmarks N` computes the diagrams of N greedy-permutation landmarks instead (ripser.py's n_perm) and says on
 * stderr their cover radius ε: the bottleneck distance to the exact diagrams is at most 2ε.
 */
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { BUDGET_OPTIONS, checkBudget } from '../budget';
import { readParsedFile } from '../files';
import { parseDistanceMatrixFile, parseMatrixFile } from '../../io/pointCloudFile';
import { LIMITS } from '../limits';
import { greedyLandmarks, landmarkInput, MAX_POINTS, METRICS, type Metric, type PersistenceInput } from '../../tda/index';
import { estimatePersistenceCost } from '../../tda/cost';
import { computePersistenceInThreads, THREADS_FROM_POINTS } from '../../tda/nodeThreads';
import type { Diagram } from '../../types';

const NAME = 'ph';
const TRIANGLES = ['full', 'lower'] as const;

/** Diagrams as JSON pairs with null for Infinity. */
export function diagramsToJson(dgms: Diagram[]): (number | null)[][][] {
  return dgms.map((d) => d.map((p) => [p.birth, p.death === Infinity ? null : p.death]));
}

export const phCommand: Command = {
  name: NAME,
  summary: 'Vietoris–Rips persistent homology of a point cloud or distance matrix (prints JSON diagrams)',
  options: {
    input: { type: 'string', description: 'point cloud (text rows or .npy n×d) or distance matrix (with --format distance); - reads stdin' },
    format: { type: 'string', description: 'cloud or distance (full square or lower-triangular rows)', default: 'cloud' },
    triangle: { type: 'string', description: 'distance matrices: full (must be symmetric, zero diagonal) or lower (read only the lower triangle)', default: 'full' },
    maxdim: { type: 'string', description: 'highest homology dimension, integer 0–8', default: '1' },
    metric: { type: 'string', description: `distance between points: ${METRICS.join(', ')}`, default: 'euclidean' },
    threshold: { type: 'string', description: 'largest simplex diameter, ≥ 0 (default: the enclosing radius, full diagrams)' },
    cocycles: { type: 'flag', description: 'also print representative cocycles of the H1 bars (edges, vertices, loop)' },
    landmarks: { type: 'string', description: 'use N greedy-permutation landmarks (prints the cover radius ε on stderr; bottleneck to exact ≤ 2ε)' },
    threads: { type: 'string', description: `threads sharing the distances and the apparent-pair test, integer 1–${LIMITS.threads} (default: the cores, at most 2; 1 below ${THREADS_FROM_POINTS} points)` },
    ...BUDGET_OPTIONS,
  },
  async run(opts, io) {
    const file = requireString(opts, 'input', NAME);
    const format = String(opts.format);
    if (format !== 'cloud' && format !== 'distance') throw new UsageError(`${NAME}: --format must be cloud or distance (got "${format}")`);
    const maxdim = numberOption(opts, 'maxdim', NAME, { min: 0, max: 8, integer: true, text: 'an integer in 0–8' })!;
    const metric = String(opts.metric) as Metric;
    if (!METRICS.includes(metric)) throw new UsageError(`${NAME}: --metric must be one of ${METRICS.join(', ')} (got "${metric}")`);
    const threshold = numberOption(opts, 'threshold', NAME, { min: 0, text: 'a number ≥ 0' });
    const triangle = String(opts.triangle) as (typeof TRIANGLES)[number];
    if (!TRIANGLES.includes(triangle)) throw new UsageError(`${NAME}: --triangle must be full or lower (got "${triangle}")`);
    if (triangle !== 'full' && format !== 'distance') throw new UsageError(`${NAME}: --triangle applies to --format distance only`);
    let input: PersistenceInput = readParsedFile(file, 'input', (bytes) => (format === 'cloud' ? parseMatrixFile(bytes, 'point') : parseDistanceMatrixFile(bytes, { triangle })), io.stdin);
    const threads = numberOption(opts, 'threads', NAME, { min: 1, max: LIMITS.threads, integer: true, text: `an integer from 1 to ${LIMITS.threads}` });
    const landmarks = numberOption(opts, 'landmarks', NAME, { min: 1, integer: true, text: 'an integer ≥ 1' });
    let map: Int32Array | null = null;
    if (landmarks !== undefined) {
      if (landmarks > input.n) throw new UsageError(`${NAME}: --landmarks must be at most the ${input.n} points (got "${landmarks}")`);
      const lm = greedyLandmarks(input, landmarks, metric);
      io.stderr(`landmarks: ${landmarks} of ${input.n} points, cover radius ε = ${lm.radius}; bottleneck distance to the exact diagrams ≤ 2ε = ${2 * lm.radius}\n`);
      input = landmarkInput(input, lm.indices);
      map = lm.indices;
    }
    const n = input.n;
    if (n > MAX_POINTS) throw new InputError(`--input ${file}: ${n} points; persistence handles at most ${MAX_POINTS} (the dense distance matrix)`);
    const d = 'd' in input ? input.d : 0;
    checkBudget(estimatePersistenceCost({ n, d, maxdim }), `${n} ${d ? `points in R^${d}` : 'points (distance matrix)'} up to H${maxdim}`, opts, io, NAME);
    let result;
    try {
      result = await computePersistenceInThreads(input, { maxdim, metric, threshold, cocycles: opts.cocycles === true, threads });
    } catch (err) {
      throw new InputError(err instanceof Error ? err.message : String(err));
    }
    const out: Record<string, unknown> = { dgms: diagramsToJson(result.dgms) };
    if (result.cocycles) {
      // With --landmarks, vertices are named by their row in the input, not their place among the landmarks.
      const v = (i: number) => (map ? map[i] : i);
      out.cocycles = result.cocycles.map((c) => ({
        birth: c.birth,
        death: c.death === Infinity ? null : c.death,
        edges: c.edges.map(([i, j]) => [Math.max(v(i), v(j)), Math.min(v(i), v(j))]),
        vertices: c.vertices.map(v).sort((x, y) => x - y),
        cycle: c.cycle.map(v),
      }));
    }
    io.stdout(JSON.stringify(out) + '\n');
    return 0;
  },
};
