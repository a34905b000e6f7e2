/**
 * IDX files (the MNIST / Fashion-MNIST container), optionally gzipped.
 *
 * Layout: two zero bytes, a type byte (0x08 = uint8, the only type image sets use), the number of
 * dimensions, then one big-endian uint32 per dimension, then the data in C order.
 * Pure: bytes in, typed arrays out, so the page, workers and CLI share it.
 */
import { gunzipSync } from 'fflate';

export interface IdxArray {
  data: Uint8Array;
  dims: number[];
}

export interface IdxImages {
  /** n × height × width uint8 pixels, row-major. */
  pixels: Uint8Array;
  n: number;
  height: number;
  width: number;
}

const UINT8_TYPE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzip when the bytes are gzipped, else return them unchanged. */
export function maybeGunzip(bytes: Uint8Array, what = 'IDX file'): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw new Error(`${what}: gzip data is corrupt or truncated (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Parse an IDX file (gzipped or not) holding uint8 data. `what` names the file in error messages. */
export function readIdx(input: Uint8Array, what = 'IDX file'): IdxArray {
  const bytes = maybeGunzip(input, what);
  if (bytes.length < 4) throw new Error(`${what}: too short to be an IDX file (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`${what}: not an IDX file (magic ${hex}, expected 00 00 08 0N)`);
  }
  const type = bytes[2];
  if (type !== UINT8_TYPE) {
    const name = TYPE_NAMES[type] ?? `unknown type 0x${type.toString(16)}`;
    throw new Error(`${what}: IDX data type ${name} is not supported (only uint8)`);
  }
  const ndim = bytes[3];
  if (ndim < 1) throw new Error(`${what}: IDX file declares 0 dimensions`);
  const start = 4 + 4 * ndim;
  if (bytes.length < start) throw new Error(`${what}: IDX header is truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length < start + count) {
    throw new Error(
      `${what}: IDX data is truncated: header [${dims.join(', ')}] needs ${count} bytes, file has ${bytes.length - start}`,
    );
  }
  // Copy so the result does not pin a large decompressed buffer or alias the caller's bytes.
  return { data: bytes.slice(start, start + count), dims };
}

/** An idx3 image file (n × height × width). */
export function readIdxImages(input: Uint8Array, what = 'IDX image file'): IdxImages {
  const { data, dims } = readIdx(input, what);
  if (dims.length !== 3) {
    throw new Error(`${what}: expected 3 dimensions (n, height, width), got ${dims.length} [${dims.join(', ')}]`);
  }
  const [n, height, width] = dims;
  return { pixels: data, n, height, width };
}

/** An idx1 label file: one uint8 class index per image. */
export function readIdxLabels(input: Uint8Array, what = 'IDX label file'): Int32Array {
  const { data, dims } = readIdx(input, what);
  if (dims.length !== 1) throw new Error(`${what}: expected 1 dimension, got ${dims.length} [${dims.join(', ')}]`);
  return Int32Array.from(data);
}

/** Encode uint8 data as an (uncompressed) IDX file; used by tools and tests. */
export function writeIdx(data: Uint8Array, dims: number[]): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`writeIdx: dims [${dims.join(', ')}] need ${count} values, got ${data.length}`);
  if (dims.length < 1 || dims.length > 255) throw new Error('writeIdx: dims must have 1 to 255 entries');
  const out = new Uint8Array(4 + 4 * dims.length + count);
  out[2] = UINT8_TYPE;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
