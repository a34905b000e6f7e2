import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { crc32, decodePng, encodePng } from '../../../src/data/loaders/pngNode';

/** A PNG whose rows use the given filter types (forward filters written out here, independently of the decoder). */
function pngWithFilters(width: number, height: number, channels: 1 | 3 | 4, pixels: Uint8Array, filters: number[]): Uint8Array {
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  const at = (y: number, x: number) => (y < 0 || x < 0 ? 0 : pixels[y * stride + x]);
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length];
    raw[y * (stride + 1)] = f;
    for (let x = 0; x < stride; x++) {
      const a = at(y, x - channels);
      const b = at(y - 1, x);
      const c = at(y - 1, x - channels);
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      raw[y * (stride + 1) + 1 + x] = (pixels[y * stride + x] - pred) & 0xff;
    }
  }
  // Re-use the encoder for the chunk framing, then swap in our filtered IDAT.
  const base = encodePng({ width, height, channels, pixels });
  const idat = zlibSync(raw);
  const view = new DataView(base.buffer);
  const ihdrEnd = 8 + 12 + 13;
  const out = new Uint8Array(ihdrEnd + 12 + idat.length + 12);
  out.set(base.subarray(0, ihdrEnd));
  const ov = new DataView(out.buffer);
  ov.setUint32(ihdrEnd, idat.length);
  out.set([73, 68, 65, 84], ihdrEnd + 4);
  out.set(idat, ihdrEnd + 8);
  ov.setUint32(ihdrEnd + 8 + idat.length, crc32(out, ihdrEnd + 4, ihdrEnd + 8 + idat.length));
  out.set(base.subarray(base.length - 12), ihdrEnd + 12 + idat.length);
  expect(view.getUint32(8)).toBe(13);
  return out;
}

function randomPixels(n: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
}

describe('minimal PNG codec', () => {
  it('CRC-32 of "IEND" is the constant every PNG ends with (ae 42 60 82)', () => {
    expect(crc32(new TextEncoder().encode('IEND')).toString(16)).toBe('ae426082');
  });

  it('round-trips gray, RGB and RGBA images', () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const pixels = randomPixels(5 * 7 * channels, channels);
      const back = decodePng(encodePng({ width: 5, height: 7, channels, pixels }));
      expect([back.width, back.height, back.channels]).toEqual([5, 7, channels]);
      expect(Array.from(back.pixels)).toEqual(Array.from(pixels));
    }
  });

  it('undoes all five row filters (None, Sub, Up, Average, Paeth)', () => {
    for (const channels of [1, 3, 4] as const) {
      const pixels = randomPixels(6 * 10 * channels, 7 + channels);
      const back = decodePng(pngWithFilters(6, 10, channels, pixels, [0, 1, 2, 3, 4]));
      expect(Array.from(back.pixels)).toEqual(Array.from(pixels));
    }
  });

  it('rejects non-PNG bytes, truncated data and 16-bit images with a reason', () => {
    expect(() => decodePng(new TextEncoder().encode('hello world'))).toThrow(/not a PNG/);
    const good = encodePng({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16) });
    expect(() => decodePng(good.subarray(0, 40))).toThrow(/truncated|corrupt|no image data/);
    const deep = good.slice();
    deep[24] = 16; // bit depth byte of IHDR
    expect(() => decodePng(deep)).toThrow(/bit depth 16/);
  });
});
