/**
 * `convtopo ph --input FILE [--maxdim 1] [--metric euclidean] [--threshold T] [--cocycles] [--format cloud|distance]`:
 * Vietoris–Rips persistence of a point cloud (text or .npy) or of a distance matrix, printed as JSON
 * {"dgms": [[[birth, death], …], …]} with null for an infinite death (+ "cocycles" with --cocycles).
 */
import { readFileSync } from 'node:fs';
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { parseMatrixFile } from '../../io/pointCloudFile';
import { computePersistence, METRICS, type DistanceMatrix, type Metric, type PersistenceInput } from '../../tda/index';
import type { Diagram } from '../../types';

const NAME = 'ph';

/**
 * A distance matrix from text: a full square (n rows of n values) or a lower triangle in the manner of
 * ripser's lower-distance format — rows of 1, 2, …, n−1 values (strict) or 1, 2, …, n values ending in the
 * zero diagonal. Blank lines and `#` comments are skipped.
 */
export function parseDistanceText(text: string): DistanceMatrix {
  const rows: { line: number; values: number[] }[] = [];
  text.split(/\r?\n/).forEach((raw, li) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[\s,;]+/).filter((f) => f.length > 0);
    const values = fields.map(Number);
    values.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new Error(`row on line ${li + 1}: value ${j + 1} ("${fields[j]}") is not a finite number`);
      if (v < 0) throw new Error(`row on line ${li + 1}: value ${j + 1} (${v}) is negative; distances must be ≥ 0`);
    });
    rows.push({ line: li + 1, values });
  });
  if (rows.length === 0) throw new Error('the file is empty: no rows of numbers found');
  const R = rows.length;
  if (rows.every((r) => r.values.length === R)) {
    const distances = new Float64Array(R * R);
    rows.forEach((r, i) => distances.set(r.values, i * R));
    for (let i = 0; i < R; i++) {
      for (let j = 0; j < i; j++) {
        const a = distances[i * R + j], b = distances[j * R + i];
        if (Math.abs(a - b) > 1e-6 * Math.max(a, b)) {
          throw new Error(`row on line ${rows[i].line}: entry ${j + 1} (${a}) differs from its mirror (${b}); the matrix is not symmetric`);
        }
      }
    }
    return { n: R, distances, layout: 'full' };
  }
  for (let k = 0; k < R; k++) {
    if (rows[k].values.length !== k + 1) {
      throw new Error(
        `row on line ${rows[k].line} has ${rows[k].values.length} values, expected ${k + 1} (a lower-triangular matrix) or ${R} (a square matrix)`,
      );
    }
  }
  // Rows of 1…R values: with the zero diagonal (n = R) when every row ends in 0, else the strict triangle (n = R + 1).
  const withDiagonal = rows.every((r) => r.values[r.values.length - 1] === 0) && rows[0].values[0] === 0;
  const n = withDiagonal ? R : R + 1;
  const distances = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let k = withDiagonal ? 1 : 0; k < R; k++) {
    const vals = rows[k].values;
    for (let j = 0; j < (withDiagonal ? vals.length - 1 : vals.length); j++) distances[p++] = vals[j];
  }
  return { n, distances, layout: 'lower' };
}

/** Diagrams as JSON pairs with null for Infinity. */
export function diagramsToJson(dgms: Diagram[]): (number | null)[][][] {
  return dgms.map((d) => d.map((p) => [p.birth, p.death === Infinity ? null : p.death]));
}

export const phCommand: Command = {
  name: NAME,
  summary: 'Vietoris–Rips persistent homology of a point cloud or distance matrix (prints JSON diagrams)',
  options: {
    input: { type: 'string', description: 'point cloud (text rows or .npy n×d) or distance matrix (with --format distance)' },
    format: { type: 'string', description: 'cloud or distance (full square or lower-triangular rows)', default: 'cloud' },
    maxdim: { type: 'string', description: 'highest homology dimension, integer 0–8', default: '1' },
    metric: { type: 'string', description: `distance between points: ${METRICS.join(', ')}`, default: 'euclidean' },
    threshold: { type: 'string', description: 'largest simplex diameter, ≥ 0 (default: the enclosing radius, full diagrams)' },
    cocycles: { type: 'flag', description: 'also print representative cocycles of the H1 bars (edges, vertices, loop)' },
  },
  async run(opts, io) {
    const file = requireString(opts, 'input', NAME);
    const format = String(opts.format);
    if (format !== 'cloud' && format !== 'distance') throw new UsageError(`${NAME}: --format must be cloud or distance (got "${format}")`);
    const maxdim = numberOption(opts, 'maxdim', NAME, { min: 0, max: 8, integer: true, text: 'an integer in 0–8' })!;
    const metric = String(opts.metric) as Metric;
    if (!METRICS.includes(metric)) throw new UsageError(`${NAME}: --metric must be one of ${METRICS.join(', ')} (got "${metric}")`);
    const threshold = numberOption(opts, 'threshold', NAME, { min: 0, text: 'a number ≥ 0' });
    const bytes = readFileSync(file);
    let input: PersistenceInput;
    try {
      if (format === 'cloud') input = parseMatrixFile(bytes, 'point');
      else if (bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e) {
        const m = parseMatrixFile(bytes, 'row');
        if (m.n !== m.d) throw new Error(`.npy distance matrix must be square, got ${m.n} × ${m.d}`);
        input = { n: m.n, distances: m.data, layout: 'full' };
      } else input = parseDistanceText(new TextDecoder().decode(bytes));
    } catch (err) {
      throw new InputError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let result;
    try {
      result = computePersistence(input, { maxdim, metric, threshold, cocycles: opts.cocycles === true });
    } catch (err) {
      throw new InputError(err instanceof Error ? err.message : String(err));
    }
    const out: Record<string, unknown> = { dgms: diagramsToJson(result.dgms) };
    if (result.cocycles) {
      out.cocycles = result.cocycles.map((c) => ({
        birth: c.birth,
        death: c.death === Infinity ? null : c.death,
        edges: c.edges,
        vertices: c.vertices,
        cycle: c.cycle,
      }));
    }
    io.stdout(JSON.stringify(out) + '\n');
    return 0;
  },
};
