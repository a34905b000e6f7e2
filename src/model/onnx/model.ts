/**
 * An ONNX image classifier opened for study: its input contract, its layers (by default every Conv output, in graph
 * order) and one onnxruntime session that returns all chosen tensors of a batch in one run.
 *
 * Opening: decode and check the protobuf (graph.ts), add every candidate tensor to the graph outputs, create the
 * session, then measure each candidate's shape with one blank batch (the runtime knows shapes the file may not
 * declare) and keep the 4-D ones. Every problem is one sentence naming the file and what is wrong.
 */
import type * as Ort from 'onnxruntime-web';
import type { LayerInfo } from '../../types';
import { decodeModel, editGraph, graphInfo, STUDIED_OPS, topL2InGraph, topL2Nodes, type OnnxCandidate, type OnnxGraphInfo, type StudiedOp, type TopL2Outputs } from './graph';
import { groupLayers } from './groups';
import { createSession, loadOrt, type OnnxExecutionProvider } from './runtime';

export interface OnnxModelOptions {
  /** The file's name, for messages. Default "the model". */
  label?: string;
  /** [H, W] for a model whose input takes any size (the dataset's size). Default 224 × 224. */
  inputSize?: [number, number];
  /** Which ops' outputs are layers: 'conv' (default), 'all' of STUDIED_OPS, or a list. */
  tensors?: 'conv' | 'all' | StudiedOp[];
  /**
   * Who runs the graph: onnxruntime-web's 'wasm' (default) or 'webgpu' execution provider, or 'tfjs' — the graph's
   * ops on TF.js's current backend (tfjsRuntime.ts; XNNPACK kernels on wasm), refused with the op's name when the
   * graph has an op it lacks. onnxruntime always opens the file first: its checks, shapes and layer list are the
   * reference either way.
   */
  executionProvider?: OnnxRunner;
  /** Dropped / on-disk files, by name, to satisfy the model's external data. */
  files?: { name: string; bytes: Uint8Array }[];
  /** Reads a file named by the model's external data (relative to the model), or null when there is none (the CLI). */
  readFile?: (name: string) => Uint8Array | null;
}

export type OnnxRunner = OnnxExecutionProvider | 'tfjs';

export interface OnnxLayer extends LayerInfo {
  /** The graph value onnxruntime fetches. */
  output: string;
  op: StudiedOp;
  /** The layer's top-L2 point and position, reduced inside the graph (absent on opsets before 11). */
  topL2?: TopL2Outputs;
}

export interface OnnxModel {
  label: string;
  info: OnnxGraphInfo;
  /** [H, W, C]; null H/W when the graph input takes any size. */
  inputShape: [number | null, number | null, number];
  /** The batch dim when the graph fixes it, else null. */
  fixedBatch: number | null;
  layers: OnnxLayer[];
  /** The first 2-D graph output (the logits), if any. */
  logitsName: string | null;
  executionProvider: OnnxRunner;
  /** NCHW input [b, C, H, W] → the fetched tensors' data, [b, …] each, in `fetch` order. */
  forward(input: Float32Array, b: number, size: [number, number], fetch: string[]): Promise<{ data: Float32Array; dims: number[] }[]>;
  dispose(): void;
}

function opsFor(t: OnnxModelOptions['tensors']): readonly StudiedOp[] {
  if (t === undefined || t === 'conv') return ['Conv'];
  if (t === 'all') return STUDIED_OPS;
  return t;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

type Fetched = { data: Float32Array; dims: number[] }[];

/**
 * Run a batch of b inputs (`per` values each) in chunks of the graph's fixed batch (or all at once), zero-padding the
 * last chunk and dropping its padding rows, and join the chunks' outputs along the batch axis.
 */
async function inChunks(input: Float32Array, b: number, per: number, fixedBatch: number | null, run: (chunk: Float32Array, step: number) => Promise<Fetched>): Promise<Fetched> {
  if (input.length !== b * per) throw new Error(`forward: input of ${input.length} values is not ${b} images of ${per} values`);
  const step = fixedBatch ?? b;
  const parts: Fetched[] = [];
  for (let start = 0; start < b; start += step) {
    const m = Math.min(step, b - start);
    let chunk = input.subarray(start * per, (start + m) * per);
    if (m < step) {
      const padded = new Float32Array(step * per);
      padded.set(chunk);
      chunk = padded;
    }
    const outs = await run(chunk, step);
    parts.push(
      outs.map(({ data, dims }) => {
        const rowSize = dims.slice(1).reduce((a, v) => a * v, 1);
        return { data: m < step ? data.slice(0, m * rowSize) : data, dims: [m, ...dims.slice(1)] };
      }),
    );
  }
  if (parts.length === 1) return parts[0];
  return parts[0].map((_, i) => {
    const dims = [b, ...parts[0][i].dims.slice(1)];
    const data = new Float32Array(dims.reduce((a, v) => a * v, 1));
    let off = 0;
    for (const p of parts) {
      data.set(p[i].data, off);
      off += p[i].data.length;
    }
    return { data, dims };
  });
}

export async function openOnnxModel(bytes: Uint8Array, options: OnnxModelOptions = {}): Promise<OnnxModel> {
  const label = options.label ?? 'the model';
  const proto = decodeModel(bytes, label);
  const info = graphInfo(proto, label);
  if (info.customOps.length > 0) {
    throw new Error(`${label} uses the operator${info.customOps.length > 1 ? 's' : ''} ${info.customOps.join(', ')}, which onnxruntime-web cannot run`);
  }
  const [, cDim, hDim, wDim] = info.inputDims;
  const c = typeof cDim === 'number' ? cDim : null;
  if (c !== 1 && c !== 3) {
    throw new Error(`${label}: the input ${info.inputName} has ${c ?? 'an unknown number of'} channels; an image input needs 1 (grey) or 3 (RGB)`);
  }
  const h = typeof hDim === 'number' ? hDim : null;
  const w = typeof wDim === 'number' ? wDim : null;
  const fixedBatch = typeof info.inputDims[0] === 'number' ? (info.inputDims[0] as number) : null;
  const ops = opsFor(options.tensors);
  const chosen = info.candidates.filter((k) => ops.includes(k.op));

  const externalData: { path: string; data: Uint8Array }[] = [];
  const missing: string[] = [];
  for (const path of info.externalFiles) {
    const f = (options.files ?? []).find((x) => x.name === path || baseName(x.name) === baseName(path))?.bytes ?? options.readFile?.(path);
    if (f) externalData.push({ path, data: f });
    else missing.push(path);
  }
  if (missing.length > 0) {
    throw new Error(
      `${label} keeps its weights in the external file${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} missing: give ${missing.length > 1 ? 'them' : 'it'} together with the .onnx`,
    );
  }

  // The top-L2 reduction runs inside the graph (the default cloud: a run then returns [b, C] per layer, not the
  // whole tensor); the tensors themselves stay fetchable for the other clouds. Should the runtime refuse the added
  // nodes, the model opens without them and top-L2 is reduced in JS from the tensors.
  // Only on wasm: on WebGPU the int64 index ops would fall back to the CPU, with copies both ways.
  const runner = options.executionProvider ?? 'wasm';
  const ep: OnnxExecutionProvider = runner === 'tfjs' ? 'wasm' : runner;
  // A graph the TF.js-op runtime cannot run is refused before any session is made.
  const tfjsRuntime = runner === 'tfjs' ? await import('./tfjsRuntime') : null;
  const op = tfjsRuntime?.unsupportedTfjsOp(proto);
  if (op) throw new Error(`${label} uses ${op}, which the TF.js-op runtime does not run`);
  const reductions = ep === 'wasm' && topL2InGraph(info.opsetVersion) ? chosen.map((k, i) => topL2Nodes(k.output, `convtopo_topl2_${i}`, info.opsetVersion!)) : [];
  const plain = { outputs: chosen.map((k) => k.output) };
  const withTopL2 = { outputs: [...plain.outputs, ...reductions.flatMap((r) => [r.outputs.points, r.outputs.positions])], nodes: reductions.flatMap((r) => r.nodes) };
  const existing = info.outputs.map((o) => o.name);
  let session: Ort.InferenceSession;
  let inGraph = reductions.length > 0;
  try {
    session = await createSession(editGraph(bytes, inGraph ? withTopL2 : plain, existing), label, { executionProvider: ep, externalData });
  } catch (err) {
    if (!inGraph) throw err;
    inGraph = false;
    session = await createSession(editGraph(bytes, plain, existing), label, { executionProvider: ep, externalData });
  }
  if (info.candidates.filter((k) => k.op === 'Conv').length === 0) {
    void session.release();
    throw new Error(`${label} has no Conv node to study`);
  }
  const ort = await loadOrt();
  const size: [number, number] = [h ?? options.inputSize?.[0] ?? 224, w ?? options.inputSize?.[1] ?? 224];

  const forward: OnnxModel['forward'] = (input, b, [ih, iw], fetch) =>
    inChunks(input, b, c * ih * iw, fixedBatch, async (chunk, step) => {
      const feeds: Record<string, Ort.Tensor> = { [info.inputName]: new ort.Tensor('float32', chunk, [step, c, ih, iw]) };
      let result: Ort.InferenceSession.OnnxValueMapType;
      try {
        result = await session.run(feeds, fetch);
      } catch (err) {
        throw new Error(`${label} failed on a [${step}, ${c}, ${ih}, ${iw}] input: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
      }
      return fetch.map((name) => {
        const t = result[name] as Ort.Tensor;
        return { data: t.data as Float32Array, dims: [...t.dims] };
      });
    });

  let layers: OnnxLayer[];
  try {
    const probeBatch = fixedBatch ?? 1;
    const zeros = new Float32Array(probeBatch * c * size[0] * size[1]);
    const logitsCandidate = info.outputs.find((o) => o.rank === 2 || o.rank === null)?.name;
    const fetch = chosen.map((k) => k.output);
    const outs = await forward(zeros, probeBatch, size, fetch);
    const kept: { k: OnnxCandidate; shape: [number, number, number]; topL2?: TopL2Outputs }[] = [];
    outs.forEach((o, i) => {
      if (o.dims.length === 4) kept.push({ k: chosen[i], shape: [o.dims[2], o.dims[3], o.dims[1]], topL2: inGraph ? reductions[i].outputs : undefined });
    });
    if (kept.length === 0) throw new Error(`${label} has no 4-D (batch × C × H × W) Conv output to study`);
    const stages = groupLayers(kept.map((x) => x.k.name), kept.map((x) => x.shape));
    layers = kept.map((x, i) => ({
      index: i + 1,
      name: x.k.name,
      stage: stages[i],
      shape: x.shape,
      tensor: x.k.description,
      output: x.k.output,
      op: x.k.op,
      ...(x.topL2 ? { topL2: x.topL2 } : {}),
    }));
    let logitsName: string | null = null;
    if (logitsCandidate) {
      const [lo] = await forward(zeros, probeBatch, size, [logitsCandidate]);
      if (lo.dims.length === 2) logitsName = logitsCandidate;
    }
    const base = { label, info, inputShape: [h, w, c] as [number | null, number | null, number], fixedBatch, layers, logitsName };
    if (!tfjsRuntime) return { ...base, executionProvider: ep, forward, dispose: () => void session.release() };
    // The same graph on TF.js ops; onnxruntime's session has done its part (checks, shapes) and is released.
    const readExternal = (loc: string, offset: number, length: number): Uint8Array => {
      const f = externalData.find((e) => e.path === loc || baseName(e.path) === baseName(loc));
      if (!f) throw new Error(`${label}: external data "${loc}" is missing`);
      return f.data.subarray(offset, length < 0 ? undefined : offset + length);
    };
    const graph = tfjsRuntime.openTfjsGraph(proto, info.inputName, label, readExternal);
    for (const l of layers) if (l.topL2) graph.addTopL2(l.output, l.topL2.points, l.topL2.positions);
    void session.release();
    const tfForward: OnnxModel['forward'] = (input, b, sz, fetch) => inChunks(input, b, c * sz[0] * sz[1], fixedBatch, (chunk, step) => graph.forward(chunk, step, sz, fetch));
    return { ...base, executionProvider: 'tfjs', forward: tfForward, dispose: () => graph.dispose() };
  } catch (err) {
    void session.release();
    throw err;
  }
}
