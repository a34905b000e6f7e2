/**
 * Reading an ONNX model's graph and adding intermediate tensors to its outputs.
 *
 * onnxruntime returns only graph outputs, so the tensors we study (every Conv output, optionally the 4-D outputs of
 * Relu / Clip / Add / BatchNormalization) are appended to GraphProto.output before the session is created.
 *
 * Reading uses onnx-proto's generated decoder (ONNX's own schema). Writing does NOT re-encode the decoded message:
 * protobufjs drops fields its schema does not know (newer ONNX fields, vendor extensions), so the edit is made on the
 * wire instead. Every top-level field of ModelProto is copied byte for byte; the last `graph` field (7) is copied byte
 * for byte too, followed by the new `output` (12) records. Repeated fields concatenate on the wire, so this is exactly
 * "the same graph with more outputs" and everything else, known or not, survives untouched.
 */
import * as protobufModule from 'protobufjs/minimal.js';
import * as onnxProtoModule from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// Both packages are CommonJS: under Node's own ESM loader (the CLI bundle) their exports sit on `default`.
type Cjs<T> = T & { default?: T };
const { Reader, Writer } = (protobufModule as Cjs<typeof protobufModule>).default ?? protobufModule;
const { onnx } = (onnxProtoModule as Cjs<typeof onnxProtoModule>).default ?? onnxProtoModule;

/** Ops whose 4-D outputs can be studied; Conv is the default (method.md §1: the conv outputs). */
export const STUDIED_OPS = ['Conv', 'Relu', 'Clip', 'Add', 'BatchNormalization'] as const;
export type StudiedOp = (typeof STUDIED_OPS)[number];

/** An intermediate tensor that may become a layer: the first output of a node of a STUDIED_OPS type. */
export interface OnnxCandidate {
  /** The tensor (graph value) name, which is what onnxruntime fetches. */
  output: string;
  /** The node's name, or the output name when the node has none (PyTorch names nodes "/layer1/layer1.0/conv1/Conv"). */
  name: string;
  op: StudiedOp;
  /** Which tensor this is, for the page ("Conv output, before BatchNormalization"). */
  description: string;
  /** Position among the graph's nodes. */
  nodeIndex: number;
}

export interface OnnxGraphInfo {
  inputName: string;
  /** The image input as NCHW dims; a string or null where the dim is symbolic / unknown. */
  inputDims: (number | string | null)[];
  /** The graph's own outputs (before our edit), in order, with their ranks when declared. */
  outputs: { name: string; rank: number | null }[];
  candidates: OnnxCandidate[];
  /** Files named by initializers stored outside the .onnx (TensorProto.data_location = EXTERNAL). */
  externalFiles: string[];
  /** Ops in a domain onnxruntime-web does not implement (custom operators), as "domain:Op". */
  customOps: string[];
  opsetVersion: number | null;
}

const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'com.microsoft', 'ai.onnx.ml', 'com.microsoft.nchwc']);

/** Decode the model's protobuf, refusing in one sentence what is not an ONNX model. */
export function decodeModel(bytes: Uint8Array, label: string): OnnxTypes.ModelProto {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(
      /index out of range/i.test(msg)
        ? `${label} is truncated or not an ONNX model (its protobuf ends in the middle of a field)`
        : `${label} is not an ONNX model (${msg})`,
    );
  }
  const graph = model.graph;
  if (!graph || !graph.node || graph.node.length === 0 || !model.opsetImport || model.opsetImport.length === 0) {
    throw new Error(`${label} is not an ONNX model (no graph with nodes and opset imports)`);
  }
  return model;
}

function firstTensorDims(v: OnnxTypes.IValueInfoProto | undefined): (number | string | null)[] | null {
  const shape = v?.type?.tensorType?.shape;
  if (!shape || !shape.dim) return null;
  return shape.dim.map((d) => (d.dimValue !== null && d.dimValue !== undefined && Number(d.dimValue) > 0 ? Number(d.dimValue) : d.dimParam || null));
}

function describe(op: StudiedOp, consumers: string[]): string {
  switch (op) {
    case 'Conv':
      // PyTorch's eval-mode export folds a following BatchNorm into the Conv's weights; then no BN node follows.
      return consumers.length > 0 && consumers.every((c) => c === 'BatchNormalization')
        ? 'Conv output, before BatchNormalization'
        : 'Conv output, BatchNorm folded in (if the model had one)';
    case 'Relu':
      return 'after ReLU';
    case 'Clip':
      return 'after Clip (ReLU6)';
    case 'Add':
      return 'after Add (residual sum)';
    case 'BatchNormalization':
      return 'after BatchNormalization';
  }
}

/** What the model takes and which tensors it offers, in graph order. */
export function graphInfo(model: OnnxTypes.ModelProto, label: string): OnnxGraphInfo {
  const g = model.graph!;
  const initNames = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
  const inputs = (g.input ?? []).filter((v) => !initNames.has(v.name ?? ''));
  if (inputs.length !== 1) {
    throw new Error(`${label} has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); only models with one image input are supported`);
  }
  const input = inputs[0];
  const inputDims = firstTensorDims(input);
  if (!inputDims) throw new Error(`${label}: the input ${input.name} is not a tensor with a declared shape`);
  if (inputDims.length !== 4) {
    throw new Error(
      `${label}: the input ${input.name} has shape [${inputDims.map((d) => d ?? '?').join(', ')}]; an image input [batch, channels, height, width] (NCHW) is needed`,
    );
  }
  const elem = input.type?.tensorType?.elemType;
  if (elem !== onnx.TensorProto.DataType.FLOAT) {
    throw new Error(`${label}: the input ${input.name} has element type ${onnx.TensorProto.DataType[elem ?? 0] ?? elem}; a float32 input is needed`);
  }
  const consumers = new Map<string, string[]>();
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) {
      if (!consumers.has(i)) consumers.set(i, []);
      consumers.get(i)!.push(n.opType ?? '');
    }
  }
  const candidates: OnnxCandidate[] = [];
  const customOps = new Set<string>();
  const localFunctions = new Set((model.functions ?? []).map((f) => `${f.domain ?? ''}:${f.name ?? ''}`));
  (g.node ?? []).forEach((n, nodeIndex) => {
    const domain = n.domain ?? '';
    if (!KNOWN_DOMAINS.has(domain) && !localFunctions.has(`${domain}:${n.opType}`)) customOps.add(`${domain}:${n.opType}`);
    const op = n.opType as StudiedOp;
    if ((domain !== '' && domain !== 'ai.onnx') || !STUDIED_OPS.includes(op) || !n.output || !n.output[0]) return;
    const output = n.output[0];
    candidates.push({ output, name: n.name || output, op, description: describe(op, consumers.get(output) ?? []), nodeIndex });
  });
  // Names must be unique to select layers by name; a repeated node name falls back to its output's name.
  const seen = new Map<string, number>();
  for (const c of candidates) seen.set(c.name, (seen.get(c.name) ?? 0) + 1);
  for (const c of candidates) if (seen.get(c.name)! > 1) c.name = c.output;

  const externalFiles = new Set<string>();
  for (const t of g.initializer ?? []) {
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      const loc = (t.externalData ?? []).find((e) => e.key === 'location')?.value;
      if (loc) externalFiles.add(loc);
    }
  }
  const opset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return {
    inputName: input.name ?? '',
    inputDims,
    outputs: (g.output ?? []).map((o) => ({ name: o.name ?? '', rank: firstTensorDims(o)?.length ?? null })),
    candidates,
    externalFiles: [...externalFiles],
    customOps: [...customOps],
    opsetVersion: opset?.version !== undefined && opset.version !== null ? Number(opset.version) : null,
  };
}

/**
 * The same model bytes with `names` appended to the graph outputs (float tensors, shape left to the runtime).
 * Names that already are graph outputs are not repeated.
 */
export function addGraphOutputs(bytes: Uint8Array, names: string[], existing: string[] = []): Uint8Array {
  const have = new Set(existing);
  const extra = new Writer();
  for (const name of names) {
    if (have.has(name)) continue;
    have.add(name);
    const vi = onnx.ValueInfoProto.encode({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }).finish();
    extra.uint32((12 << 3) | 2).bytes(vi);
  }
  const extraBytes = extra.finish();
  if (extraBytes.length === 0) return bytes;

  // Walk ModelProto's top-level fields, remembering where the last graph field's payload is.
  const reader = Reader.create(bytes);
  let graphStart = -1;
  let graphPayload = -1;
  let graphEnd = -1;
  while (reader.pos < reader.len) {
    const fieldStart = reader.pos;
    const tag = reader.uint32();
    if (tag >>> 3 === 7 && (tag & 7) === 2) {
      const len = reader.uint32();
      graphStart = fieldStart;
      graphPayload = reader.pos;
      graphEnd = reader.pos + len;
      reader.skip(len);
    } else {
      reader.skipType(tag & 7);
    }
  }
  if (graphStart < 0) throw new Error('the model has no graph');
  const payload = new Uint8Array(graphEnd - graphPayload + extraBytes.length);
  payload.set(bytes.subarray(graphPayload, graphEnd), 0);
  payload.set(extraBytes, graphEnd - graphPayload);
  const field = new Writer().uint32((7 << 3) | 2).bytes(payload).finish();
  const out = new Uint8Array(graphStart + field.length + (bytes.length - graphEnd));
  out.set(bytes.subarray(0, graphStart), 0);
  out.set(field, graphStart);
  out.set(bytes.subarray(graphEnd), graphStart + field.length);
  return out;
}
