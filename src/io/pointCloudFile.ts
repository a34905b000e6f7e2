/**
 * Reading point clouds, distance matrices and label files from the formats the CLI and page accept:
 * text (one row per line, comma or whitespace separated, `#` comments) and NumPy `.npy` (any numeric dtype, see
 * npy.ts). Whatever the format, the same values get the same checks and the same answer; every error names the row
 * (and column) or the problem in one line.
 */
import type { PointCloud } from '../types';
import type { DistanceMatrix } from '../tda/distances';
import { NPY_DTYPE_NAMES, readNpy, type NpyArray } from './npy';

/** The largest finite float32; a value beyond it would silently become Infinity in the engine's float32 arrays. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A matrix of doubles as read, before any conversion (rows × cols, row-major). */
export interface RawMatrix {
  values: NpyArray['data'] | Float64Array;
  rows: number;
  cols: number;
  /** Where row r came from, for messages: "line 12" (text) or "row 3" (.npy). */
  where(r: number): string;
}

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e;
}

function checkFinite(v: number, where: string, column: number, field?: string): void {
  if (!Number.isFinite(v)) throw new Error(`${where}: value ${column} (${field !== undefined ? `"${field}"` : String(v)}) is not a finite number`);
  if (Math.abs(v) > FLOAT32_MAX) throw new Error(`${where}: value ${column} (${v}) is beyond float32's range (±3.4e38)`);
}

/** Text rows → doubles; ragged rows allowed only when `ragged` (lower-triangular distance files). */
function textRows(text: string, what: string): { values: number[]; line: number }[] {
  const rows: { values: number[]; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[\s,;]+/).filter((f) => f.length > 0);
    const values = fields.map(Number);
    values.forEach((v, j) => checkFinite(v, `${what} on line ${li + 1}`, j + 1, fields[j]));
    rows.push({ values, line: li + 1 });
  }
  if (rows.length === 0) throw new Error('the file is empty: no rows of numbers found');
  return rows;
}

/** Parse a text matrix; `what` names the rows in error messages ("point", "row"). */
export function parseTextMatrix(text: string, what = 'row'): PointCloud {
  const rows = textRows(text, what);
  const d = rows[0].values.length;
  for (const r of rows) {
    if (r.values.length !== d) throw new Error(`${what} on line ${r.line} has ${r.values.length} values, expected ${d} (ragged rows)`);
  }
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(r.values, i * d));
  return { data, n: rows.length, d };
}

function npyMatrix(arr: NpyArray, what: string): RawMatrix {
  if (arr.shape.length > 2 || arr.shape.length === 0) {
    throw new Error(`.npy array has ${arr.shape.length} dimensions (shape (${arr.shape.join(', ')})); expected a 2-D array (n × d)`);
  }
  const rows = arr.shape[0];
  const cols = arr.shape.length === 2 ? arr.shape[1] : 1;
  if (rows === 0 || cols === 0) throw new Error('the file is empty: the array has no rows');
  const values = arr.data;
  for (let i = 0; i < values.length; i++) checkFinite(values[i], `${what} ${Math.floor(i / cols) + 1}`, (i % cols) + 1);
  return { values, rows, cols, where: (r) => `${what} ${r + 1}` };
}

/** Parse `.npy` bytes holding a 1-D or 2-D numeric array into a float32 cloud, rejecting NaN/Inf. */
export function parseNpyMatrix(bytes: Uint8Array, what = 'row'): PointCloud {
  const m = npyMatrix(readNpy(bytes), what);
  return { data: m.values instanceof Float32Array ? m.values : Float32Array.from(m.values), n: m.rows, d: m.cols };
}

/** Parse either format by looking at the bytes (the `.npy` magic) rather than trusting the file name. */
export function parseMatrixFile(bytes: Uint8Array, what = 'row'): PointCloud {
  if (isNpy(bytes)) return parseNpyMatrix(bytes, what);
  return parseTextMatrix(new TextDecoder().decode(bytes), what);
}

/** Labels: one integer ≥ 0 per line (text), or a 1-D (or n × 1) `.npy` of integers, bools or integral floats. */
export function parseLabelsFile(bytes: Uint8Array): Int32Array {
  let values: ArrayLike<number>;
  let where: (i: number) => string;
  if (isNpy(bytes)) {
    const arr = readNpy(bytes);
    if (arr.shape.length === 0 || arr.shape.length > 2 || (arr.shape.length === 2 && arr.shape[1] !== 1)) {
      throw new Error(`labels .npy has shape (${arr.shape.join(', ')}); expected a 1-D array of one label per point`);
    }
    values = arr.data;
    where = (i) => `label ${i + 1} (${NPY_DTYPE_NAMES[arr.dtype]})`;
  } else {
    const rows = textRows(new TextDecoder().decode(bytes), 'label');
    const bad = rows.find((r) => r.values.length !== 1);
    if (bad) throw new Error(`labels file has ${bad.values.length} values on line ${bad.line}, expected 1`);
    values = rows.map((r) => r.values[0]);
    where = (i) => `label on line ${rows[i].line}`;
  }
  if (values.length === 0) throw new Error('the labels file is empty');
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) throw new Error(`${where(i)} is ${v}, not an integer`);
    if (v < 0 || v > 2 ** 31 - 1) throw new Error(`${where(i)} is ${v}; labels must be integers from 0 to 2147483647`);
    out[i] = v;
  }
  return out;
}

export type TriangleMode = 'full' | 'lower';

/**
 * A distance matrix from text or `.npy`, with one validation for every format: finite, non-negative, and — for a
 * square matrix — symmetric with a zero diagonal, refused at the first entry that is not (row and column named).
 * `triangle: 'lower'` takes the strict lower triangle of a square matrix and ignores the rest, as ripser's
 * lower-distance format does. Text may also be a lower triangle: rows of 1, 2, …, n−1 values (strict) or
 * 1, 2, …, n ending in the zero diagonal.
 */
export function parseDistanceMatrixFile(bytes: Uint8Array, options: { triangle?: TriangleMode } = {}): DistanceMatrix {
  const triangle = options.triangle ?? 'full';
  let m: RawMatrix;
  if (isNpy(bytes)) {
    m = npyMatrix(readNpy(bytes), 'row');
    if (m.rows !== m.cols) throw new Error(`.npy distance matrix must be square, got ${m.rows} × ${m.cols}`);
  } else {
    const rows = textRows(new TextDecoder().decode(bytes), 'row');
    const R = rows.length;
    if (!rows.every((r) => r.values.length === R)) return lowerTriangleText(rows);
    const values = new Float64Array(R * R);
    rows.forEach((r, i) => values.set(r.values, i * R));
    m = { values, rows: R, cols: R, where: (r) => `row on line ${rows[r].line}` };
  }
  const n = m.rows;
  const v = m.values;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < (triangle === 'lower' ? i : n); j++) {
      const a = v[i * n + j];
      if (a < 0) throw new Error(`${m.where(i)}: entry ${j + 1} (${a}) is negative; distances must be ≥ 0`);
    }
  }
  if (triangle === 'lower') {
    const distances = new Float64Array((n * (n - 1)) / 2);
    let p = 0;
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) distances[p++] = v[i * n + j];
    return { n, distances, layout: 'lower' };
  }
  for (let i = 0; i < n; i++) {
    if (v[i * n + i] !== 0) {
      throw new Error(`${m.where(i)}: diagonal entry ${i + 1} is ${v[i * n + i]}, not 0 (use --triangle lower to read only the lower triangle)`);
    }
    for (let j = 0; j < i; j++) {
      const a = v[i * n + j], b = v[j * n + i];
      if (Math.abs(a - b) > 1e-6 * Math.max(a, b)) {
        throw new Error(
          `${m.where(i)}: entry ${j + 1} (${a}) differs from its mirror (${b}); the matrix is not symmetric (use --triangle lower to read only the lower triangle)`,
        );
      }
    }
  }
  return { n, distances: v instanceof Float32Array || v instanceof Float64Array ? v : Float64Array.from(v), layout: 'full' };
}

function lowerTriangleText(rows: { values: number[]; line: number }[]): DistanceMatrix {
  const R = rows.length;
  for (let k = 0; k < R; k++) {
    if (rows[k].values.length !== k + 1) {
      throw new Error(
        `row on line ${rows[k].line} has ${rows[k].values.length} values, expected ${k + 1} (a lower-triangular matrix) or ${R} (a square matrix)`,
      );
    }
    rows[k].values.forEach((a, j) => {
      if (a < 0) throw new Error(`row on line ${rows[k].line}: entry ${j + 1} (${a}) is negative; distances must be ≥ 0`);
    });
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
