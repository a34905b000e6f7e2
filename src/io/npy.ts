/**
 * NumPy `.npy` (format 1.0–3.0) reading and writing, C order. Pure: bytes in, typed array and shape out, so the
 * CLI, workers and page share it.
 *
 * Read: every dtype NumPy users save for clouds and labels — bool, (u)int8/16/32/64, float16/32/64 — in either byte
 * order. 64-bit integers become exact doubles; one beyond ±2^53 (where doubles stop holding every integer) is
 * refused by name rather than rounded or wrapped. Written: float32, float64, int32.
 */

export const NPY_DTYPES = ['b1', 'u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8', 'f2', 'f4', 'f8'] as const;
export type NpyDtype = (typeof NPY_DTYPES)[number];

export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface NpyArray {
  /** The values: the dtype's own typed array; bool as 0/1 bytes; (u)int64 and float64 as Float64Array; float16 as Float32Array. */
  data: NpyData;
  shape: number[];
  dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy's names for the dtype codes, for messages. */
export const NPY_DTYPE_NAMES: Record<NpyDtype, string> = {
  b1: 'bool', u1: 'uint8', i1: 'int8', u2: 'uint16', i2: 'int16', u4: 'uint32', i4: 'int32',
  u8: 'uint64', i8: 'int64', f2: 'float16', f4: 'float32', f8: 'float64',
};

const OTHER_KINDS: Record<string, string> = {
  c: 'complex', U: 'unicode string', S: 'byte string', a: 'byte string', O: 'Python object', M: 'datetime',
  m: 'timedelta', V: 'void/structured', b: 'bool',
};

/** IEEE half precision → number (subnormals, ±Inf and NaN included). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const SAFE = 2 ** 53;

function parseDescr(descr: string): { dtype: NpyDtype; little: boolean; size: number } {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (!m) throw new Error(`.npy dtype ${descr} is not supported (structured arrays are not: save a plain numeric array)`);
  const [, order, kindRaw, sizeText] = m;
  const kind = kindRaw === '?' ? 'b' : kindRaw;
  const size = sizeText === '' ? (kind === 'b' ? 1 : NaN) : Number(sizeText);
  const dtype = `${kind}${size}` as NpyDtype;
  if (!(NPY_DTYPES as readonly string[]).includes(dtype)) {
    const what = OTHER_KINDS[kind] ? `${OTHER_KINDS[kind]} (${descr})` : descr;
    throw new Error(`.npy dtype ${what} is not supported: use bool, (u)int8–64 or float16/32/64`);
  }
  // '=' is the machine's order; every platform NumPy runs on for us is little-endian, as is the DataView default here.
  return { dtype, little: order !== '>', size };
}

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
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(offset, offset + headerLen));
  if (/'descr'\s*:\s*\[/.test(header)) throw new Error('.npy array has a structured dtype; save a plain numeric array');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error('.npy header is unreadable');
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new Error('.npy shape is unreadable');
  const { dtype, little, size } = parseDescr(descr);
  const count = shape.reduce((a, b) => a * b, 1);
  if (fortran === 'True' && shape.filter((s) => s > 1).length > 1) throw new Error('.npy array is in Fortran order; save it with C order');
  const start = offset + headerLen;
  if (bytes.length < start + count * size) {
    throw new Error(`.npy data is truncated: expected ${count} values (${count * size} bytes), found ${Math.max(0, bytes.length - start)} bytes`);
  }
  return { data: decode(view, start, count, dtype, little), shape, dtype };
}

function decode(view: DataView, start: number, count: number, dtype: NpyDtype, little: boolean): NpyData {
  switch (dtype) {
    case 'b1': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getUint8(start + i);
        if (v > 1) throw new Error(`.npy bool value ${i + 1} is the byte ${v}, neither 0 nor 1`);
        out[i] = v;
      }
      return out;
    }
    case 'u1':
      return new Uint8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count));
    case 'i1':
      return new Int8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count));
    case 'u2': {
      const out = new Uint16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint16(start + 2 * i, little);
      return out;
    }
    case 'i2': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, little);
      return out;
    }
    case 'u4': {
      const out = new Uint32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint32(start + 4 * i, little);
      return out;
    }
    case 'i4': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, little);
      return out;
    }
    case 'u8':
    case 'i8': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = dtype === 'i8' ? view.getBigInt64(start + 8 * i, little) : view.getBigUint64(start + 8 * i, little);
        if (v > BigInt(SAFE) || v < -BigInt(SAFE)) {
          throw new Error(
            `.npy ${NPY_DTYPE_NAMES[dtype]} value ${i + 1} is ${v}, beyond ±2^53 (9007199254740992): it cannot be used exactly; convert the array to float64 if rounding is acceptable`,
          );
        }
        out[i] = Number(v);
      }
      return out;
    }
    case 'f2': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(start + 2 * i, little));
      return out;
    }
    case 'f4': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, little);
      return out;
    }
    case 'f8': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, little);
      return out;
    }
  }
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
