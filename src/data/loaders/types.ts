/** Shared shapes of the dataset loaders: files in, decoded images out. */

/** A file handed to a loader: bytes already read, or a File-like object read lazily (only if it is used). */
export interface LoaderFile {
  /** Path relative to what the user dropped, '/'-separated (e.g. 'shoes/boot/001.png'). */
  path: string;
  bytes?: Uint8Array;
  file?: { arrayBuffer(): Promise<ArrayBuffer>; size?: number };
}

/** A decoded image: 8-bit samples, row-major height × width × channels (2 = gray+alpha, 4 = RGBA). */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array;
  /** Pixels that were not opaque before the decoder composited them over white (see flattenAlpha). */
  transparent?: number;
}

/** Decodes image bytes to 1 or 3 channels, alpha composited over white (flattenAlpha); `ext` is the lower-case file extension without the dot ('png', 'jpg', …). Throws if it can't. */
export type ImageDecoder = (bytes: Uint8Array, ext: string) => DecodedImage | Promise<DecodedImage>;

export interface LoadOptions {
  /** Image decoder for folder / zip / CSV datasets (browserDecoder in the page, pngDecoder in Node). */
  decoder?: ImageDecoder;
  /** Size [height, width] every image is resized to; default the first image's size. */
  size?: [number, number];
  /** Channels of the dataset; default 1 when every image is gray (or R = G = B), else 3. */
  channels?: 1 | 3;
  /** At most this many images per class, drawn with the seed. Default 100 (10 classes → the paper's N = 1000). */
  perClassCap?: number;
  /** Seed of the per-class sampling. Default 0. */
  seed?: number;
  /** Name shown in the page; default from the dropped files. */
  name?: string;
  /** Class names for IDX / CIFAR labels (index → name), overriding the defaults. */
  classNames?: string[];
  /** Called as the loader goes: zip entries unpacked, then images decoded (done of total). */
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  phase: 'reading' | 'unzipping' | 'decoding';
  done: number;
  total: number;
}

export const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'avif']);

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** OS clutter never worth an error line: dot-files (.DS_Store), __MACOSX/, Thumbs.db, desktop.ini. */
export function isClutter(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX') || /^(thumbs\.db|desktop\.ini)$/i.test(baseName(path));
}

export async function readBytes(f: LoaderFile): Promise<Uint8Array> {
  if (f.bytes) return f.bytes;
  if (f.file) return new Uint8Array(await f.file.arrayBuffer());
  throw new Error(`${f.path}: no bytes`);
}
