/**
 * NumPy `.npy` (format 1.0–3.0) reading and writing for float32/float64/int32/int64 arrays in C order.
 * Pure: bytes in, typed array and shape out, so the CLI, workers and page share it.
 */

export interface NpyArray {
  data: Float32Array | Float64Array | Int32Array;
  shape: number[];
  dtype: 'f4' | 'f8' | 'i4' | 'i8';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function readNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error('not a .npy file (missing \\x93NUMPY magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let offset: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error('.npy header is truncated');
    headerLen = view.getUint32(8, true);
    offset = 12;
  } else {
    throw new Error(`unsupported .npy version ${major}`);
  }
  if (offset + headerLen > bytes.length) throw new Error('.npy header is truncated');
  const header = new TextDecoder('latin1').decode(bytes.subarray(offset, offset + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error('.npy header is unreadable');
  }
  if (fortran === 'True') throw new Error('.npy array is in Fortran order; save it with C order');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('.npy shape is unreadable');
  const count = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fi])(\d)$/.exec(descr);
  if (!m) throw new Error(`.npy dtype ${descr} is not supported (use float32 or float64)`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const dtype = `${kind}${size}` as NpyArray['dtype'];
  if (!['f4', 'f8', 'i4', 'i8'].includes(dtype)) throw new Error(`.npy dtype ${descr} is not supported`);
  const little = order !== '>';
  const start = offset + headerLen;
  if (bytes.length < start + count * size) throw new Error(`.npy data is truncated: expected ${count} values`);
  let data: NpyArray['data'];
  if (dtype === 'f4') {
    data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(start + 4 * i, little);
  } else if (dtype === 'f8') {
    data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat64(start + 8 * i, little);
  } else if (dtype === 'i4') {
    data = new Int32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getInt32(start + 4 * i, little);
  } else {
    data = new Int32Array(count);
    for (let i = 0; i < count; i++) data[i] = Number(view.getBigInt64(start + 8 * i, little));
  }
  return { data, shape, dtype };
}

export function writeNpy(data: Float32Array | Float64Array | Int32Array, shape: number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Header padded with spaces so that the data starts on a 64-byte boundary, ending with '\n'.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
