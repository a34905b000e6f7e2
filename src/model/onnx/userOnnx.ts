/**
 * A dropped ONNX model in the page's model worker: the .onnx, optional external weight files and an optional
 * `<name>.preprocess.json` (mean, std, class names; the model panel's mean/std form writes one). Opened once per
 * content (the id hashes the model and the sidecar), on the execution provider the warm-up picks.
 */
import { fnv1a64Hex } from '../../data/fingerprint';
import type { ModelSummary } from '../../types';
import type { ActivationSource, Normalization } from '../activations';
import type { ModelCard } from '../loadModel';
import { openOnnxWithWarmup } from './backendChoice';
import { sourceFromOnnxModel } from './clouds';
import { parsePreprocessJson } from './input';

interface Entry {
  source: ActivationSource;
  card: ModelCard | null;
  normalization?: Normalization;
  summary?: Partial<ModelSummary>;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

export async function openOnnxUserModel(files: { name: string; bytes: Uint8Array }[], inputSize: [number, number] | undefined, models: Map<string, Entry>): Promise<ModelSummary> {
  const onnxFiles = files.filter((f) => /\.onnx$/i.test(f.name));
  if (onnxFiles.length > 1) throw new Error(`several .onnx files (${onnxFiles.map((f) => baseName(f.name)).join(', ')}): drop one model at a time`);
  const file = onnxFiles[0];
  const label = baseName(file.name);
  const sidecarFile = files.find((f) => /\.preprocess\.json$/i.test(f.name));
  const pre = sidecarFile ? parsePreprocessJson(sidecarFile.bytes, baseName(sidecarFile.name)) : null;
  const id = `onnx:${fnv1a64Hex(file.bytes)}${sidecarFile ? `:${fnv1a64Hex(sidecarFile.bytes)}` : ''}`;
  let entry = models.get(id);
  if (!entry) {
    const { model, choice } = await openOnnxWithWarmup(file.bytes, { label, inputSize, files: files.filter((f) => f !== file && f !== sidecarFile) });
    const normalization = pre ? { mean: pre.mean, std: pre.std } : undefined;
    entry = {
      source: sourceFromOnnxModel(model),
      card: null,
      normalization,
      summary: { onnxBackend: choice, normalization: normalization ?? { mean: [0], std: [1] } },
    };
    models.set(id, entry);
  }
  return { id, layers: entry.source.layers, card: entry.card, inputShape: entry.source.inputShape, ...entry.summary };
}
