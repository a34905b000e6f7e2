/** CPU image helpers for the loaders: channel conversion, bilinear resize, seeded per-class sampling. */
import { mulberry32 } from '../../random';
import type { DecodedImage } from './types';

/** True when the image carries no colour: 1–2 channels, or R = G = B at every pixel. */
export function isGray(img: DecodedImage): boolean {
  if (img.channels <= 2) return true;
  const { pixels, channels } = img;
  for (let i = 0; i < pixels.length; i += channels) {
    if (pixels[i] !== pixels[i + 1] || pixels[i] !== pixels[i + 2]) return false;
  }
  return true;
}

/** A sample of alpha `a` over a white background (what an icon on a transparent background looks like on a page). */
function overWhite(v: number, a: number): number {
  return a === 255 ? v : Math.round((v * a + 255 * (255 - a)) / 255);
}

/**
 * Composite an image with alpha (channels 2 or 4) over white and drop the alpha channel. Every decoder calls this,
 * so the model never sees a transparent background as black. `transparent` counts the pixels that were not opaque.
 */
export function flattenAlpha(img: DecodedImage): DecodedImage & { transparent: number } {
  const { width, height, pixels, channels: c } = img;
  if (c === 1 || c === 3) return { ...img, transparent: 0 };
  const n = width * height;
  const k = c - 1;
  const out = new Uint8Array(n * k);
  let transparent = 0;
  for (let i = 0; i < n; i++) {
    const a = pixels[i * c + k];
    if (a !== 255) transparent++;
    for (let j = 0; j < k; j++) out[i * k + j] = overWhite(pixels[i * c + j], a);
  }
  return { width, height, channels: k as 1 | 3, pixels: out, transparent };
}

/**
 * Convert to `channels` (gray → RGB repeats; RGB → gray with luma 0.299/0.587/0.114). Alpha left by a decoder is
 * composited over white, as flattenAlpha does.
 */
export function toChannels(img: DecodedImage, channels: 1 | 3): Uint8Array {
  const { width, height, pixels, channels: c } = img.channels === 2 || img.channels === 4 ? flattenAlpha(img) : img;
  const n = width * height;
  if (c === channels) return pixels;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const o = i * c;
    const r = pixels[o];
    const g = c >= 3 ? pixels[o + 1] : r;
    const b = c >= 3 ? pixels[o + 2] : r;
    if (channels === 1) out[i] = Math.round(c >= 3 ? 0.299 * r + 0.587 * g + 0.114 * b : r);
    else {
      out[3 * i] = r;
      out[3 * i + 1] = g;
      out[3 * i + 2] = b;
    }
  }
  return out;
}

/** Below this standard deviation (in 0–255 grey levels) an image is "nearly constant": a blank or one-colour square. */
export const NEARLY_CONSTANT_STD = 2;

/** How many of the n images (each `per` samples of `pixels`) are nearly constant. */
export function countNearlyConstant(pixels: Uint8Array, n: number, per: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let sq = 0;
    for (let j = i * per; j < (i + 1) * per; j++) {
      const v = pixels[j];
      sum += v;
      sq += v * v;
    }
    const mean = sum / per;
    if (sq / per - mean * mean < NEARLY_CONSTANT_STD * NEARLY_CONSTANT_STD) count++;
  }
  return count;
}

/** Bilinear resize of an h × w × c uint8 image (half-pixel centres, edges clamped, like OpenCV's INTER_LINEAR). */
export function resizeBilinear(src: Uint8Array, h: number, w: number, c: number, th: number, tw: number): Uint8Array {
  if (h === th && w === tw) return src;
  const out = new Uint8Array(th * tw * c);
  const sy = h / th;
  const sx = w / tw;
  for (let y = 0; y < th; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < tw; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      for (let k = 0; k < c; k++) {
        const v00 = src[(y0 * w + x0) * c + k];
        const v01 = src[(y0 * w + x1) * c + k];
        const v10 = src[(y1 * w + x0) * c + k];
        const v11 = src[(y1 * w + x1) * c + k];
        const v = (v00 * (1 - dx) + v01 * dx) * (1 - dy) + (v10 * (1 - dx) + v11 * dx) * dy;
        out[(y * tw + x) * c + k] = Math.round(v);
      }
    }
  }
  return out;
}

/** A seeded permutation of 0 … n−1 (Fisher–Yates with mulberry32). */
export function seededPermutation(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * At most `cap` items of each class, drawn with the seed (each class gets its own seeded permutation),
 * returned as ascending item indices so the dataset keeps its original order.
 */
export function samplePerClass(labels: ArrayLike<number>, cap: number, seed: number): Int32Array {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const chosen: number[] = [];
  for (const [label, items] of byClass) {
    if (items.length <= cap) chosen.push(...items);
    else {
      const perm = seededPermutation(items.length, (seed ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
      for (let k = 0; k < cap; k++) chosen.push(items[perm[k]]);
    }
  }
  return Int32Array.from(chosen.sort((a, b) => a - b));
}

export function checkCap(cap: number): void {
  if (!(cap === Infinity || (Number.isInteger(cap) && cap >= 1))) {
    throw new Error(`perClassCap must be an integer ≥ 1 or Infinity (got ${cap})`);
  }
}
