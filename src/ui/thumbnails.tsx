/** Image thumbnails as data URLs drawn from the dataset's raw pixels, cached per dataset and image. */
import type { ImageDataset } from '../types';

const cache = new WeakMap<ImageDataset, Map<number, string>>();

export function thumbnailUrl(ds: ImageDataset, index: number): string {
  let perDataset = cache.get(ds);
  if (!perDataset) cache.set(ds, (perDataset = new Map()));
  const hit = perDataset.get(index);
  if (hit) return hit;
  const { width: w, height: h, channels: c } = ds;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  const off = index * w * h * c;
  for (let p = 0; p < w * h; p++) {
    const r = ds.pixels[off + p * c];
    img.data[4 * p] = r;
    img.data[4 * p + 1] = c === 3 ? ds.pixels[off + p * c + 1] : r;
    img.data[4 * p + 2] = c === 3 ? ds.pixels[off + p * c + 2] : r;
    img.data[4 * p + 3] = 255;
  }
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
