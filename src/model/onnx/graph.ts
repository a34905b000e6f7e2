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

/** What editGraph appends to the (last) graph field: nodes (field 1) and outputs (field 12). */
export interface GraphAdditions {
  /** Float tensors to fetch (shape left to the runtime); names that already are graph outputs are not repeated. */
  outputs: string[];
  nodes?: OnnxTypes.INodeProto[];
}

/**
 * The same model bytes with `names` appended to the graph outputs (float tensors, shape left to the runtime).
 * Names that already are graph outputs are not repeated.
 */
export function addGraphOutputs(bytes: Uint8Array, names: string[], existing: string[] = []): Uint8Array {
  return editGraph(bytes, { outputs: names }, existing);
}

/** The same model bytes with nodes and outputs appended on the wire (see the file comment). */
export function editGraph(bytes: Uint8Array, add: GraphAdditions, existing: string[] = []): Uint8Array {
  const have = new Set(existing);
  const extra = new Writer();
  // Appended nodes come after every node of the graph, so they are in topological order when they read its values.
  for (const node of add.nodes ?? []) extra.uint32((1 << 3) | 2).bytes(onnx.NodeProto.encode(node).finish());
  for (const name of add.outputs) {
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

/** The fetched names of a layer's top-L2 reduction made inside the graph. */
export interface TopL2Outputs {
  /** [b, C] float: the channel vector at the position of largest L2 norm. */
  points: string;
  /** [b, 1] float: that position, h·W + w (exact in float32 below 2^24). */
  positions: string;
}

/** Opsets where the nodes of topL2Nodes exist (GatherElements is 11; ReduceSumSquare takes axes as an input from 18). */
export function topL2InGraph(opsetVersion: number | null): boolean {
  return opsetVersion !== null && opsetVersion >= 11;
}

/**
 * Nodes that reduce the NCHW tensor `x` to its top-L2 point inside the graph, so a run returns [b, C] instead of the
 * whole tensor (onnxruntime copies every fetched tensor out of its heap). Same definition as topL2Positions: squared
 * norm over the channels at each position, the first largest position (ArgMax keeps the first), its channel vector.
 * The vector is gathered in two steps (row h along H, then column w along W) so the big tensor is never reshaped
 * (a copy); the index tensors' shapes come from Shape of small slices, so C, H and W need not be known here.
 */
export function topL2Nodes(x: string, prefix: string, opsetVersion: number): { nodes: OnnxTypes.INodeProto[]; outputs: TopL2Outputs } {
  const I64 = onnx.TensorProto.DataType.INT64;
  const v = (s: string) => `${prefix}/${s}`;
  const nodes: OnnxTypes.INodeProto[] = [];
  const ints = (name: string, values: number[], dims: number[] = [values.length]) =>
    nodes.push({ opType: 'Constant', name: v(name), output: [v(name)], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dataType: I64, dims, int64Data: values } }] });
  const node = (opType: string, input: string[], output: string, attribute: OnnxTypes.IAttributeProto[] = []) => nodes.push({ opType, name: v(output), input, output: [v(output)], attribute });
  const int = (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const intList = (name: string, list: number[]): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: list });

  if (opsetVersion >= 18) {
    ints('axis1', [1]);
    node('ReduceSumSquare', [x, v('axis1')], 'norms', [int('keepdims', 0)]);
  } else {
    node('ReduceSumSquare', [x], 'norms', [intList('axes', [1]), int('keepdims', 0)]);
  }
  node('Flatten', [v('norms')], 'flat', [int('axis', 1)]);
  node('ArgMax', [v('flat')], 'best', [int('axis', 1), int('keepdims', 1)]);
  node('Shape', [x], 'shape');
  ints('three', [3], []);
  node('Gather', [v('shape'), v('three')], 'w', [int('axis', 0)]);
  node('Div', [v('best'), v('w')], 'row');
  node('Mod', [v('best'), v('w')], 'col');
  ints('b111', [0, 1, 1, 1]);
  node('Reshape', [v('row'), v('b111')], 'row4');
  node('Reshape', [v('col'), v('b111')], 'col4');
  ints('zero', [0]);
  ints('one', [1]);
  ints('axis2', [2]);
  ints('axis3', [3]);
  // [b, C, 1, W]: the shape of one row of x, and the row-h index of that shape.
  node('Slice', [x, v('zero'), v('one'), v('axis2')], 'row0');
  node('Shape', [v('row0')], 'rowShape');
  node('Expand', [v('row4'), v('rowShape')], 'rowIndex');
  node('GatherElements', [x, v('rowIndex')], 'rows', [int('axis', 2)]);
  // [b, C, 1, 1]: column w of that row.
  node('Slice', [v('rows'), v('zero'), v('one'), v('axis3')], 'cell0');
  node('Shape', [v('cell0')], 'cellShape');
  node('Expand', [v('col4'), v('cellShape')], 'colIndex');
  node('GatherElements', [v('rows'), v('colIndex')], 'cell', [int('axis', 3)]);
  node('Flatten', [v('cell')], 'points', [int('axis', 1)]);
  node('Cast', [v('best')], 'positions', [int('to', onnx.TensorProto.DataType.FLOAT)]);
  return { nodes, outputs: { points: v('points'), positions: v('positions') } };
}
