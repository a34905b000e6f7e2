/** Small datasets for browser tests, made in the test (no files committed). */
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { encodePng } from '../../src/data/loaders/pngNode';

/** A 28×28 grey PNG: a bright square whose position depends on the class, plus a pattern that varies per image. */
export function makePng(cls: number, i: number, classes = 2): Uint8Array {
  const w = 28;
  const px = new Uint8Array(w * w);
  const cx = 6 + Math.round((16 * cls) / Math.max(1, classes - 1));
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const inside = Math.abs(x - cx) < 5 && Math.abs(y - 14 + (i % 5) - 2) < 8;
      px[y * w + x] = inside ? 200 + ((i * 7) % 50) : (17 * (x + y + i) + 13 * i * i) % 60;
    }
  }
  return encodePng({ width: w, height: w, channels: 1, pixels: px });
}

/** A zip of class folders: `perClass` images in each of `names`. */
export function classFolderZip(names: string[], perClass: number): number[] {
  const files: Record<string, Uint8Array> = {};
  names.forEach((name, cls) => {
    for (let i = 0; i < perClass; i++) files[`${name}/${i}.png`] = makePng(cls, i, names.length);
  });
  return Array.from(zipSync(files));
}

/** Drop a file on an element as a file manager would: a real drop event with a DataTransfer. */
export async function dropFile(page: Page, testId: string, name: string, bytes: number[]): Promise<void> {
  await page.evaluate(
    ({ testId, name, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/zip' }));
      const target = document.querySelector(`[data-testid="${testId}"]`)!;
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { testId, name, bytes },
  );
}
