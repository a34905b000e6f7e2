/** Image thumbnails as data URLs drawn from the dataset's raw pixels, cached per dataset and image. */
import type { ImageDataset } from '../types';

const cache = new WeakMap<ImageDataset, Map<number, string>>();

/** Copy image `index` of the dataset (gray or RGB) into an RGBA ImageData of the same size. */
export function fillImageData(ds: ImageDataset, index: number, img: ImageData): void {
  const { width: w, height: h, channels: c } = ds;
  const off = index * w * h * c;
  for (let p = 0; p < w * h; p++) {
    const r = ds.pixels[off + p * c];
    img.data[4 * p] = r;
    img.data[4 * p + 1] = c === 3 ? ds.pixels[off + p * c + 1] : r;
    img.data[4 * p + 2] = c === 3 ? ds.pixels[off + p * c + 2] : r;
    img.data[4 * p + 3] = 255;
  }
}

export function thumbnailUrl(ds: ImageDataset, index: number): string {
  let perDataset = cache.get(ds);
  if (!perDataset) cache.set(ds, (perDataset = new Map()));
  const hit = perDataset.get(index);
  if (hit) return hit;
  const canvas = document.createElement('canvas');
  canvas.width = ds.width;
  canvas.height = ds.height;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(ds.width, ds.height);
  fillImageData(ds, index, img);
  ctx.putImageData(img, 0, 0);
  const url = canvas.toDataURL('image/png');
  perDataset.set(index, url);
  return url;
}

export function Thumb({ ds, index, size = 40, title }: { ds: ImageDataset; index: number; size?: number; title?: string }) {
  return (
    <img
      className="thumb"
      src={thumbnailUrl(ds, index)}
      width={size}
      height={size}
      alt={title ?? `image ${index}`}
      title={title ?? `#${index} ${ds.classNames[ds.labels[index]] ?? ''}`}
    />
  );
}
