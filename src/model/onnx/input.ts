/**
 * The ONNX input contract: NCHW float32; images resized to the graph input's H×W (bilinear, TF.js's convention so
 * both runtimes see the same pixels), grey → RGB by repeating, RGB → grey by luma (0.299, 0.587, 0.114), then
 * (pixel/255 − mean)/std per channel; mean 0 and std 1 (pixels/255) unless the user or a sidecar
 * `<name>.preprocess.json` says otherwise. Pure: no runtime, no tfjs.
 */

export interface OnnxPreprocess {
  /** Per input channel (or one value for all). */
  mean: number[];
  std: number[];
  /** Class names for the logits, when the sidecar gives them. */
  classNames?: string[];
}

export const DEFAULT_PREPROCESS: OnnxPreprocess = { mean: [0], std: [1] };

function perChannel(name: string, v: number[], c: number): number[] {
  if (v.length === 1) return Array(c).fill(v[0]);
  if (v.length !== c) throw new Error(`${name} has ${v.length} values; the model input has ${c} channels`);
  return v;
}

/**
 * uint8 images [b, h, w, c] (row-major, as every dataset loader gives them) → the model input [b, tc, th, tw].
 */
export function imagesToNchw(
  pixels: Uint8Array,
  shape: [number, number, number, number],
  target: [number, number, number],
  pre: Pick<OnnxPreprocess, 'mean' | 'std'> = DEFAULT_PREPROCESS,
): Float32Array {
  const [b, h, w, c] = shape;
  const [th, tw, tc] = target;
  if (pixels.length !== b * h * w * c) throw new Error(`preprocess: ${pixels.length} pixels do not fill [${shape.join(', ')}]`);
  if (!(c === tc || c === 1 || (c === 3 && tc === 1))) throw new Error(`cannot feed ${c}-channel images to a model with ${tc} input channels`);
  const mean = perChannel('mean', pre.mean, tc).map(Math.fround);
  const std = perChannel('std', pre.std, tc).map(Math.fround);
  if (std.some((s) => !(s > 0))) throw new Error('std must be > 0');
  const out = new Float32Array(b * tc * th * tw);
  // Bilinear with align_corners = false and half_pixel_centers = false (tf.image.resizeBilinear's defaults).
  const sy = h / th;
  const sx = w / tw;
  const px = new Float32Array(c);
  const at = (img: number, y: number, x: number, k: number) => pixels[((img * h + y) * w + x) * c + k] / 255;
  for (let i = 0; i < b; i++) {
    for (let y = 0; y < th; y++) {
      const fy = y * sy;
      const y0 = Math.min(h - 1, Math.floor(fy));
      const y1 = Math.min(h - 1, y0 + 1);
      const dy = fy - y0;
      for (let x = 0; x < tw; x++) {
        const fx = x * sx;
        const x0 = Math.min(w - 1, Math.floor(fx));
        const x1 = Math.min(w - 1, x0 + 1);
        const dx = fx - x0;
        for (let k = 0; k < c; k++) {
          if (sy === 1 && sx === 1) {
            px[k] = Math.fround(at(i, y, x, k));
          } else {
            const top = at(i, y0, x0, k) + (at(i, y0, x1, k) - at(i, y0, x0, k)) * dx;
            const bot = at(i, y1, x0, k) + (at(i, y1, x1, k) - at(i, y1, x0, k)) * dx;
            px[k] = top + (bot - top) * dy;
          }
        }
        const base = i * tc * th * tw + y * tw + x;
        for (let k = 0; k < tc; k++) {
          const v = c === tc ? px[k] : c === 1 ? px[0] : Math.fround(0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]);
          // Same float32 order as PyTorch's (x/255 − mean)/std.
          out[base + k * th * tw] = Math.fround(Math.fround(v - mean[k]) / std[k]);
        }
      }
    }
  }
  return out;
}

function numberList(v: unknown, what: string): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new Error(`${what} must be a number or a list of numbers`);
  }
  return list as number[];
}

/** Parse a `<name>.preprocess.json` sidecar: {"mean": [...], "std": [...], "classNames": [...]} (all optional). */
export function parsePreprocessJson(bytes: Uint8Array, label: string): OnnxPreprocess {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`${label} is not valid JSON`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${label} must be a JSON object {mean, std, classNames}`);
  const o = json as { mean?: unknown; std?: unknown; classNames?: unknown; class_names?: unknown };
  const mean = o.mean === undefined ? [0] : numberList(o.mean, `${label}: mean`);
  const std = o.std === undefined ? [1] : numberList(o.std, `${label}: std`);
  if (std.some((s) => !(s > 0))) throw new Error(`${label}: std must be > 0`);
  const names = o.classNames ?? o.class_names;
  if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
    throw new Error(`${label}: classNames must be a list of strings`);
  }
  return { mean, std, classNames: names as string[] | undefined };
}

/** The sidecar's file name for a model file: net.onnx → net.preprocess.json. */
export function sidecarName(modelFile: string): string {
  return modelFile.replace(/\.onnx$/i, '') + '.preprocess.json';
}
