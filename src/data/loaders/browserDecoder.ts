/**
 * The page's image decoder: createImageBitmap + OffscreenCanvas, so every format the browser reads works
 * (PNG, JPEG, GIF, BMP, WebP, AVIF). Returns RGB with alpha composited over white (flattenAlpha, as the Node
 * decoder does); the loader detects gray images.
 * Runs on the main thread or in a worker (both have createImageBitmap and OffscreenCanvas).
 */
import { flattenAlpha } from './imageOps';
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
