/**
 * A stable short fingerprint of a dataset (FNV-1a 64 over shape, class names, labels and pixels), used as the id
 * 'user:<hex>' of datasets users drop in. Pure code, no crypto API, same result in every browser and in Node.
 */
import type { ImageDataset } from '../types';

/** Incremental FNV-1a 64-bit hash kept as two uint32 halves (hi, lo). */
export class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  update(bytes: Uint8Array): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < bytes.length; i++) {
      lo ^= bytes[i];
      // × 0x100000001b3 = × 0x1b3 + × 2^40 (mod 2^64); lo·0x1b3 < 2^41 is exact in a double.
      const prod = (lo >>> 0) * 0x1b3;
      const carry = Math.floor(prod / 0x100000000);
      hi = (Math.imul(hi, 0x1b3) + (lo << 8) + carry) >>> 0;
      lo = prod >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  updateString(text: string): this {
    return this.update(new TextEncoder().encode(text));
  }

  hex(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }
}

/** FNV-1a 64 of a byte string, as 16 hex digits. */
export function fnv1a64Hex(bytes: Uint8Array): string {
  return new Fnv1a64().update(bytes).hex();
}

/** Fingerprint of a dataset's content (not its name or errors): 16 hex digits. */
export function datasetFingerprint(ds: Pick<ImageDataset, 'n' | 'height' | 'width' | 'channels' | 'pixels' | 'labels' | 'classNames'>): string {
  const h = new Fnv1a64();
  h.updateString(`${ds.n}x${ds.height}x${ds.width}x${ds.channels}\n${ds.classNames.join('\n')}\n`);
  const labels = new Uint8Array(ds.labels.length * 4);
  const view = new DataView(labels.buffer);
  ds.labels.forEach((l, i) => view.setInt32(4 * i, l, true));
  h.update(labels);
  h.update(ds.pixels);
  return h.hex();
}

/** The id of a user's dataset: 'user:' + its fingerprint. */
export function userDatasetId(ds: Parameters<typeof datasetFingerprint>[0]): string {
  return `user:${datasetFingerprint(ds)}`;
}
