/**
 * The page's image decoder: createImageBitmap + OffscreenCanvas, so every format the browser reads works
 * (PNG, JPEG, GIF, BMP, WebP, AVIF). Returns RGB with alpha composited over white (flattenAlpha, as the Node
 * decoder does); the loader detects gray images.
 * Runs on the main thread or in a worker (both have createImageBitmap and OffscreenCanvas).
 */
import { flattenAlpha } from './imageOps';
import { isPng, pngDecoder } from './pngNode';
import type { DecodedImage, ImageDecoder } from './types';

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  avif: 'image/avif',
};

export const browserDecoder: ImageDecoder = async (bytes, ext): Promise<DecodedImage> => {
  const type = MIME[ext] ?? 'application/octet-stream';
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch {
    throw new Error(`the browser could not decode this ${ext || 'file'} (corrupt or unsupported image)`);
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2-D canvas context available to decode images');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;
    // getImageData un-premultiplies, so a transparent pixel reads (0, 0, 0, 0): flattenAlpha turns it white.
    return flattenAlpha({ width, height, channels: 4, pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  } finally {
    bitmap.close();
  }
};

/**
 * The worker's decoder: 8-bit PNGs up to 512×512 pixels through the JS codec (pngNode.ts: no round trip through the image decoder
 * threads, several times faster for small images, same pixels), everything else — and any PNG it does not
 * handle (16-bit, interlaced) — through the browser.
 */
export const fastBrowserDecoder: ImageDecoder = (bytes, ext) => {
  // Large images go to the browser's native decoder, which beats JS unfiltering once the pixels dominate.
  const pixels = bytes.length >= 24 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(16) * new DataView(bytes.buffer, bytes.byteOffset).getUint32(20) : 0;
  if (isPng(bytes) && pixels <= 512 * 512) {
    try {
      return pngDecoder(bytes, ext);
    } catch {
      // fall through: the browser reads every PNG variant, or says why it cannot
    }
  }
  return browserDecoder(bytes, ext);
};
