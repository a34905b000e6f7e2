/**
 * A minimal PNG codec for the CLI and tests (no PNG library is installed): 8-bit grayscale, gray+alpha, RGB, RGBA
 * and palette images, non-interlaced, all five row filters. Inflate/deflate come from fflate, so despite the name
 * this also runs in a worker; the page normally uses browserDecoder.ts, which handles every format the browser does.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { flattenAlpha } from './imageOps';
import type { DecodedImage, ImageDecoder } from './types';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel of each PNG colour type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decode a PNG to 8-bit pixels (channels 1, 2, 3 or 4; palette images become RGB or RGBA). */
export function decodePng(bytes: Uint8Array): DecodedImage {
  if (!isPng(bytes)) throw new Error('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let off = 8;
  let ended = false;
  while (off + 8 <= bytes.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(bytes[off + 4], bytes[off + 5], bytes[off + 6], bytes[off + 7]);
    const body = bytes.subarray(off + 8, off + 8 + len);
    if (body.length !== len) throw new Error(`PNG chunk ${type} is truncated`);
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      const depth = bytes[off + 16];
      colorType = bytes[off + 17];
      const interlace = bytes[off + 20];
      if (depth !== 8) throw new Error(`PNG bit depth ${depth} is not supported (only 8-bit)`);
      if (!(colorType in SAMPLES)) throw new Error(`PNG colour type ${colorType} is not supported`);
      if (interlace !== 0) throw new Error('interlaced PNG is not supported');
      if (width === 0 || height === 0) throw new Error('PNG has zero width or height');
    } else if (type === 'PLTE') palette = body.slice();
    else if (type === 'tRNS') transparency = body.slice();
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    off += 12 + len;
  }
  if (colorType < 0) throw new Error('PNG has no IHDR chunk');
  if (idat.length === 0) throw new Error('PNG has no image data (IDAT)');
  if (colorType === 3 && !palette) throw new Error('palette PNG without PLTE chunk');
  const total = idat.reduce((s, c) => s + c.length, 0);
  const zdata = new Uint8Array(total);
  let p = 0;
  for (const c of idat) {
    zdata.set(c, p);
    p += c.length;
  }
  let raw: Uint8Array;
  try {
    raw = unzlibSync(zdata);
  } catch (err) {
    throw new Error(`PNG image data is corrupt (${err instanceof Error ? err.message : String(err)})${ended ? '' : ' or truncated'}`);
  }
  const bpp = SAMPLES[colorType];
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) throw new Error('PNG image data is truncated');
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[prev + x] : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp] : 0;
      let v: number;
      switch (filter) {
        case 0: v = src[x]; break;
        case 1: v = src[x] + a; break;
        case 2: v = src[x] + b; break;
        case 3: v = src[x] + ((a + b) >> 1); break;
        case 4: v = src[x] + paeth(a, b, c); break;
        default: throw new Error(`PNG row ${y} has unknown filter type ${filter}`);
      }
      out[row + x] = v & 0xff;
    }
  }
  if (colorType === 3) {
    const hasAlpha = transparency !== null;
    const ch = hasAlpha ? 4 : 3;
    const rgb = new Uint8Array(width * height * ch);
    for (let i = 0; i < width * height; i++) {
      const k = out[i];
      if (3 * k + 2 >= palette!.length) throw new Error(`PNG palette index ${k} is out of range`);
      rgb[i * ch] = palette![3 * k];
      rgb[i * ch + 1] = palette![3 * k + 1];
      rgb[i * ch + 2] = palette![3 * k + 2];
      if (hasAlpha) rgb[i * ch + 3] = k < transparency!.length ? transparency![k] : 255;
    }
    return { width, height, channels: ch as 3 | 4, pixels: rgb };
  }
  return { width, height, channels: bpp as 1 | 2 | 3 | 4, pixels: out };
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (the PNG / zip polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Encode 8-bit pixels (channels 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) as a PNG (filter 0 on every row). */
export function encodePng(img: DecodedImage): Uint8Array {
  const { width, height, channels, pixels } = img;
  const colorType = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
  if (pixels.length !== width * height * channels) throw new Error('encodePng: pixels do not fill width × height × channels');
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = new Uint8Array(13);
  const iv = new DataView(ihdr.buffer);
  iv.setUint32(0, width);
  iv.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const chunks: [string, Uint8Array][] = [['IHDR', ihdr], ['IDAT', zlibSync(raw)], ['IEND', new Uint8Array(0)]];
  const size = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(size);
  const ov = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let off = 8;
  for (const [type, data] of chunks) {
    ov.setUint32(off, data.length);
    for (let i = 0; i < 4; i++) out[off + 4 + i] = type.charCodeAt(i);
    out.set(data, off + 8);
    ov.setUint32(off + 8 + data.length, crc32(out, off + 4, off + 8 + data.length));
    off += 12 + data.length;
  }
  return out;
}

/** The CLI's decoder: PNG only (JPEG and others need the browser's decoder, browserDecoder.ts); alpha over white. */
export const pngDecoder: ImageDecoder = (bytes, ext) => {
  if (isPng(bytes)) return flattenAlpha(decodePng(bytes));
  throw new Error(`cannot decode ${ext || 'this'} image here: the command-line tool reads PNG only (convert to PNG)`);
};
