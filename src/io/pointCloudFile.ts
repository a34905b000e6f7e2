/**
 * Reading point clouds, distance matrices and label files from the formats the CLI and page accept:
 * text (one row per line, comma or whitespace separated, `#` comments) and NumPy `.npy`.
 * Every error names the row or the problem in one line.
 */
import type { PointCloud } from '../types';
import { readNpy } from './npy';

/** Parse a text matrix; `what` names the rows in error messages ("point", "row"). */
export function parseTextMatrix(text: string, what = 'row'): PointCloud {
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  let d = -1;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[\s,;]+/).filter((f) => f.length > 0);
    const row = fields.map(Number);
    for (let j = 0; j < row.length; j++) {
      if (!Number.isFinite(row[j])) {
        throw new Error(`${what} on line ${li + 1}: value ${j + 1} ("${fields[j]}") is not a finite number`);
      }
    }
    if (d === -1) d = row.length;
    else if (row.length !== d) {
      throw new Error(`${what} on line ${li + 1} has ${row.length} values, expected ${d} (ragged rows)`);
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new Error('the file is empty: no rows of numbers found');
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n: rows.length, d };
}

/** Parse `.npy` bytes holding a 1-D or 2-D float array into a cloud, rejecting NaN/Inf. */
export function parseNpyMatrix(bytes: Uint8Array, what = 'row'): PointCloud {
  const arr = readNpy(bytes);
  if (arr.shape.length > 2 || arr.shape.length === 0) {
    throw new Error(`.npy array has ${arr.shape.length} dimensions; expected a 2-D array (n × d)`);
  }
  const n = arr.shape[0];
  const d = arr.shape.length === 2 ? arr.shape[1] : 1;
  if (n === 0 || d === 0) throw new Error('the file is empty: the array has no rows');
  const data = new Float32Array(arr.data.length);
  for (let i = 0; i < arr.data.length; i++) {
    const v = arr.data[i];
    if (!Number.isFinite(v)) throw new Error(`${what} ${Math.floor(i / d) + 1} holds ${v} (not a finite number)`);
    data[i] = v;
  }
  return { data, n, d };
}

/** Parse either format by looking at the bytes (the `.npy` magic) rather than trusting the file name. */
export function parseMatrixFile(bytes: Uint8Array, what = 'row'): PointCloud {
  if (bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e) return parseNpyMatrix(bytes, what);
  return parseTextMatrix(new TextDecoder().decode(bytes), what);
}

/** Labels: one integer per line (text) or a 1-D integer/float `.npy`. */
export function parseLabelsFile(bytes: Uint8Array): Int32Array {
  const cloud = parseMatrixFile(bytes, 'label');
  if (cloud.d !== 1) throw new Error(`labels file has ${cloud.d} values per line, expected 1`);
  const out = new Int32Array(cloud.n);
  for (let i = 0; i < cloud.n; i++) {
    if (!Number.isInteger(cloud.data[i])) throw new Error(`label ${i + 1} (${cloud.data[i]}) is not an integer`);
    out[i] = cloud.data[i];
  }
  return out;
}
