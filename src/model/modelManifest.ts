/**
 * Checking a dropped model.json's weightsManifest before TF.js sees it: every field named when it is wrong, and
 * every shard group's bytes equal to what its weights need (Σ dtype size × product of shape), so a shard of another
 * model is refused instead of being read as weights.
 */

/** Bytes per element of the dtypes a manifest may give (a quantized weight is stored in its quantization dtype). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };
const WEIGHT_DTYPES = new Set(['float32', 'int32', 'bool', 'complex64', 'string']);
const QUANT_DTYPES = new Set(['uint8', 'uint16', 'float16']);

export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

export interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return typeof v === 'object' ? 'an object' : String(v);
}

/** The manifest, checked field by field; throws "<file>: weightsManifest[i].weights[j].shape must be …". */
export function checkManifest(manifest: unknown, jsonName: string): ManifestGroup[] {
  const bad = (field: string, want: string, got: unknown) => new Error(`${jsonName}: ${field} must be ${want} (got ${describe(got)})`);
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) throw bad('weightsManifest', 'a list of weight groups', manifest);
  manifest.forEach((group: unknown, i) => {
    const at = `weightsManifest[${i}]`;
    if (group === null || typeof group !== 'object' || Array.isArray(group)) throw bad(at, 'an object {paths, weights}', group);
    const { paths, weights } = group as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths)) throw bad(`${at}.paths`, 'a list of weight file names', paths);
    paths.forEach((p: unknown, k) => {
      if (typeof p !== 'string' || p === '') throw bad(`${at}.paths[${k}]`, 'a file name', p);
    });
    if (!Array.isArray(weights)) throw bad(`${at}.weights`, 'a list of {name, shape, dtype}', weights);
    weights.forEach((w: unknown, j) => {
      const wat = `${at}.weights[${j}]`;
      if (w === null || typeof w !== 'object' || Array.isArray(w)) throw bad(wat, 'an object {name, shape, dtype}', w);
      const { name, shape, dtype, quantization } = w as { name?: unknown; shape?: unknown; dtype?: unknown; quantization?: unknown };
      if (typeof name !== 'string' || name === '') throw bad(`${wat}.name`, 'a weight name', name);
      if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
        throw bad(`${wat}.shape`, 'a list of non-negative integers', shape);
      }
      if (typeof dtype !== 'string' || !WEIGHT_DTYPES.has(dtype)) throw bad(`${wat}.dtype`, `one of ${[...WEIGHT_DTYPES].join(', ')}`, dtype);
      if (quantization !== undefined) {
        const q = quantization as { dtype?: unknown } | null;
        if (q === null || typeof q !== 'object' || typeof q.dtype !== 'string' || !QUANT_DTYPES.has(q.dtype)) {
          throw bad(`${wat}.quantization.dtype`, `one of ${[...QUANT_DTYPES].join(', ')}`, q?.dtype);
        }
      }
    });
  });
  return manifest as ManifestGroup[];
}

/** Bytes a group's weights take in its shards, or null when it holds strings (variable length). */
export function groupBytes(group: ManifestGroup): number | null {
  let total = 0;
  for (const w of group.weights) {
    const dtype = w.quantization?.dtype ?? w.dtype;
    if (dtype === 'string') return null;
    total += DTYPE_BYTES[dtype] * w.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** Refuse a group whose shards do not hold exactly the bytes its weights need, naming the files and both sizes. */
export function checkGroupSize(group: ManifestGroup, index: number, shardBytes: number[], jsonName: string): void {
  const need = groupBytes(group);
  const have = shardBytes.reduce((a, b) => a + b, 0);
  if (need === null || need === have) return;
  const names = group.paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const what = names.length === 1 ? `${names[0]} is ${have} bytes` : `${names.join(' + ')} are ${have} bytes together`;
  throw new Error(
    `${what}, but ${jsonName} (weightsManifest[${index}], ${group.weights.length} weights) needs ${need} bytes: ` +
      `${have > need ? 'these weights belong to another model' : 'the file is truncated or belongs to another model'}`,
  );
}
