/**
 * A second ONNX runtime: the decoded graph (graph.ts) executed with TF.js ops, so an ONNX model runs on TF.js's
 * XNNPACK wasm kernels instead of onnxruntime-web's im2col + GEMM ones (issue 14). onnxruntime stays the reference;
 * a graph with an op missing here is refused with the op's name, so the caller falls back to onnxruntime.
 *
 * Layout: 4-D feature maps are held NHWC (TF.js's layout); every other value keeps ONNX's own shape. Small values
 * (initializers, Constant nodes and the shape arithmetic PyTorch exports around Pad) are plain JS arrays folded once
 * at load; only nodes that touch the image input run per batch. Weights are converted once (OIHW → HWIO).
 * Fetched 4-D values come back NCHW, as onnxruntime gives them, so the cloud code is the same for both runtimes.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormAsDepthwise, depthwiseBatchNorm } from '../batchNormAsDepthwise';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { reduceBatchTopL2 } from '../pointClouds';

/** A small value computed in JS: flat row-major data in ONNX's shape. */
interface Const {
  kind: 'c';
  data: Float64Array;
  dims: number[];
}
/** A tensor of the batch: rank 4 is NHWC, any other rank is ONNX's layout. */
interface Batched {
  kind: 't';
  t: tf.Tensor;
}
type Value = Const | Batched;

export const TFJS_OPS = [
  'Conv', 'Relu', 'Clip', 'Add', 'BatchNormalization', 'MaxPool', 'GlobalAveragePool', 'AveragePool', 'Flatten', 'Reshape', 'Gemm', 'MatMul',
  'Concat', 'Constant', 'ConstantOfShape', 'Identity', 'Dropout', 'Shape', 'Gather', 'Unsqueeze', 'Slice', 'Pad', 'Transpose', 'Cast', 'ReduceMean',
] as const;

// NCHW axis → NHWC axis.
const TO_NHWC = [0, 3, 1, 2];

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof (v as { toNumber?: () => number }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

function size(dims: number[]): number {
  return dims.reduce((a, d) => a * d, 1);
}

/** TensorProto → Const (float, double, int32, int64; raw or typed fields; external data through `readExternal`). */
function decodeTensor(t: OnnxTypes.ITensorProto, readExternal: (loc: string, offset: number, length: number) => Uint8Array): Const {
  const dims = (t.dims ?? []).map(num);
  const n = size(dims);
  let raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  if (t.dataLocation === 1) {
    const ext = Object.fromEntries((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    raw = readExternal(ext.location, Number(ext.offset ?? 0), ext.length !== undefined ? Number(ext.length) : -1);
  }
  const out = new Float64Array(n);
  const type = t.dataType ?? 1;
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) {
      if (type === 1) out[i] = view.getFloat32(4 * i, true);
      else if (type === 11) out[i] = view.getFloat64(8 * i, true);
      else if (type === 6) out[i] = view.getInt32(4 * i, true);
      else if (type === 7) out[i] = Number(view.getBigInt64(8 * i, true));
      else throw new Error(`a tensor of data type ${type} is not supported by the TF.js runtime`);
    }
    return { kind: 'c', data: out, dims };
  }
  const src: unknown[] = type === 1 ? (t.floatData ?? []) : type === 11 ? (t.doubleData ?? []) : type === 7 ? (t.int64Data ?? []) : (t.int32Data ?? []);
  for (let i = 0; i < n; i++) out[i] = num(src[i]);
  return { kind: 'c', data: out, dims };
}

function attrs(node: OnnxTypes.INodeProto): Record<string, OnnxTypes.IAttributeProto> {
  return Object.fromEntries((node.attribute ?? []).map((a) => [a.name ?? '', a]));
}

/** Strides of a row-major shape. */
function strides(dims: number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** Generic gather over a Const: out[idx] = in[map(idx)], for slice and transpose. */
function remap(c: Const, outDims: number[], source: (idx: number[]) => number[]): Const {
  const n = size(outDims);
  const out = new Float64Array(n);
  const inS = strides(c.dims);
  const idx = new Array<number>(outDims.length).fill(0);
  for (let i = 0; i < n; i++) {
    const src = source(idx);
    let off = 0;
    for (let k = 0; k < src.length; k++) off += src[k] * inS[k];
    out[i] = c.data[off];
    for (let k = outDims.length - 1; k >= 0; k--) {
      if (++idx[k] < outDims[k]) break;
      idx[k] = 0;
    }
  }
  return { kind: 'c', data: out, dims: outDims };
}

interface SliceSpec {
  begin: number[];
  count: number[];
  step: number[];
}

/** ONNX Slice semantics (negative, clamped, INT64 extremes, negative steps) for one shape. */
function sliceSpec(dims: number[], starts: number[], ends: number[], axes: number[], steps: number[]): SliceSpec {
  const begin = dims.map(() => 0);
  const count = [...dims];
  const step = dims.map(() => 1);
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + dims.length : a0;
    const d = dims[a];
    const st = steps[i] ?? 1;
    let s = starts[i] < 0 ? starts[i] + d : starts[i];
    let e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (st > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
      count[a] = Math.max(0, Math.ceil((e - s) / st));
    } else {
      s = Math.min(Math.max(s, -1), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
      count[a] = Math.max(0, Math.ceil((e - s) / st));
    }
    begin[a] = s;
    step[a] = st;
  });
  return { begin, count, step };
}

function isConst(v: Value): v is Const {
  return v.kind === 'c';
}

/** A Const per-channel operand ([C], [C,1,1], [1,C,1,1] or a scalar) as a tensor broadcasting over NHWC. */
function channelOperand(c: Const, label: string): tf.Tensor {
  const n = c.data.length;
  const nonUnit = c.dims.filter((d) => d !== 1);
  if (n === 1) return tf.scalar(c.data[0]);
  const rank = c.dims.length;
  // Per channel: the only non-unit dim is C (axis 1 of 4, axis 0 of 3).
  if (nonUnit.length === 1 && ((rank === 4 && c.dims[1] === n) || (rank === 3 && c.dims[0] === n))) return tf.tensor1d(Float32Array.from(c.data));
  throw new Error(`${label}: a broadcast operand of shape [${c.dims.join(', ')}] on a feature map is not supported by the TF.js runtime`);
}

export interface TfjsGraph {
  /** NCHW input [b, C, H, W] → each fetched value as onnxruntime would give it (4-D as NCHW). */
  forward(input: Float32Array, b: number, size: [number, number], fetch: string[]): Promise<{ data: Float32Array; dims: number[] }[]>;
  /** Names accepted by forward besides graph values: each layer output's top-L2 points and positions. */
  addTopL2(output: string, points: string, positions: string): void;
  dispose(): void;
}

/** The first op the TF.js runtime cannot run, or null. */
export function unsupportedTfjsOp(model: OnnxTypes.ModelProto): string | null {
  for (const n of model.graph?.node ?? []) {
    const domain = n.domain ?? '';
    if ((domain !== '' && domain !== 'ai.onnx') || !(TFJS_OPS as readonly string[]).includes(n.opType ?? '')) return `${domain ? domain + ':' : ''}${n.opType}`;
    if (n.opType === 'Conv') {
      const a = attrs(n);
      if (a.auto_pad && a.auto_pad.s && new TextDecoder().decode(a.auto_pad.s) !== 'NOTSET') return 'Conv with auto_pad';
    }
  }
  return null;
}

export function openTfjsGraph(model: OnnxTypes.ModelProto, inputName: string, label: string, readExternal: (loc: string, offset: number, length: number) => Uint8Array): TfjsGraph {
  const g = model.graph!;
  const consts = new Map<string, Const>();
  for (const t of g.initializer ?? []) consts.set(t.name ?? '', decodeTensor(t, readExternal));
  const nodes = g.node ?? [];
  // Per-node weights converted once (kept across batches).
  const weights = new Map<number, tf.Tensor[]>();
  const topL2 = new Map<string, { of: string; part: 'points' | 'positions' }>();

  const fail = (node: OnnxTypes.INodeProto, why: string): never => {
    throw new Error(`${label}: ${node.opType} node ${node.name || node.output?.[0]}: ${why}`);
  };
  const ints = (a: OnnxTypes.IAttributeProto | undefined, dflt: number[]): number[] => (a?.ints && a.ints.length > 0 ? a.ints.map(num) : dflt);
  const int = (a: OnnxTypes.IAttributeProto | undefined, dflt: number): number => (a && a.i !== undefined && a.i !== null ? num(a.i) : dflt);
  const float = (a: OnnxTypes.IAttributeProto | undefined, dflt: number): number => (a && a.f !== undefined && a.f !== null ? a.f : dflt);

  /** Evaluate one node. `get` returns an input value (undefined for an absent optional input). */
  function evalNode(ni: number, node: OnnxTypes.INodeProto, inputs: (Value | undefined)[], fuse = false): Value[] {
    const a = attrs(node);
    const x = inputs[0];
    const asConst = (v: Value | undefined, what: string): Const => (v && isConst(v) ? v : fail(node, `its ${what} must be a constant for the TF.js runtime`));
    const asTensor = (v: Value): tf.Tensor => (isConst(v) ? tf.tensor(Float32Array.from(v.data), v.dims) : v.t);
    switch (node.opType) {
      case 'Constant': {
        if (a.value?.t) return [decodeTensor(a.value.t, readExternal)];
        if (a.value_float) return [{ kind: 'c', data: Float64Array.of(float(a.value_float, 0)), dims: [] }];
        if (a.value_int) return [{ kind: 'c', data: Float64Array.of(int(a.value_int, 0)), dims: [] }];
        if (a.value_ints) return [{ kind: 'c', data: Float64Array.from(ints(a.value_ints, [])), dims: [ints(a.value_ints, []).length] }];
        return fail(node, 'only value, value_float, value_int and value_ints are supported');
      }
      case 'Identity':
      case 'Dropout':
        return [x!];
      case 'ConstantOfShape': {
        const shape = [...asConst(x, 'shape').data];
        const v = a.value?.t ? decodeTensor(a.value.t, readExternal).data[0] : 0;
        return [{ kind: 'c', data: new Float64Array(size(shape)).fill(v), dims: shape }];
      }
      case 'Shape': {
        const dims = isConst(x!) ? x.dims : x!.t.rank === 4 ? [x!.t.shape[0], x!.t.shape[3], x!.t.shape[1], x!.t.shape[2]] : x!.t.shape;
        return [{ kind: 'c', data: Float64Array.from(dims), dims: [dims.length] }];
      }
      case 'Cast': {
        if (!isConst(x!)) return [x!];
        const to = int(a.to, 1);
        const data = to === 1 || to === 11 ? x.data : x.data.map((v) => Math.trunc(v));
        return [{ kind: 'c', data, dims: x.dims }];
      }
      case 'Gather': {
        const data = asConst(x, 'data');
        const idx = asConst(inputs[1], 'indices');
        const axis = int(a.axis, 0);
        if (axis !== 0 || data.dims.length !== 1) return fail(node, 'only a 1-D constant along axis 0 is supported');
        const out = idx.data.map((i) => data.data[i < 0 ? i + data.dims[0] : i]);
        return [{ kind: 'c', data: out, dims: idx.dims }];
      }
      case 'Unsqueeze': {
        const c = asConst(x, 'data');
        const axes = inputs[1] ? [...asConst(inputs[1], 'axes').data] : ints(a.axes, []);
        const rank = c.dims.length + axes.length;
        const dims = [...c.dims];
        for (const ax of axes.map((v) => (v < 0 ? v + rank : v)).sort((p, q) => p - q)) dims.splice(ax, 0, 1);
        return [{ kind: 'c', data: c.data, dims }];
      }
      case 'Concat': {
        const axis = int(a.axis, 0);
        const vals = inputs.filter((v): v is Value => v !== undefined);
        if (vals.every(isConst)) {
          if (vals.some((v) => v.dims.length !== 1)) return fail(node, 'constants are concatenated only in 1-D');
          const data = Float64Array.from(vals.flatMap((v) => [...v.data]));
          return [{ kind: 'c', data, dims: [data.length] }];
        }
        const ts = vals.map(asTensor);
        const rank = ts[0].rank;
        const ax = axis < 0 ? axis + rank : axis;
        return [{ kind: 't', t: tf.concat(ts, rank === 4 ? TO_NHWC[ax] : ax) }];
      }
      case 'Transpose': {
        const c = x!;
        const rank = isConst(c) ? c.dims.length : c.t.rank;
        const perm = ints(a.perm, Array.from({ length: rank }, (_, i) => rank - 1 - i));
        if (isConst(c)) return [remap(c, perm.map((p) => c.dims[p]), (idx) => { const src = new Array<number>(rank); perm.forEach((p, i) => (src[p] = idx[i])); return src; })];
        if (rank === 4) return fail(node, 'a transpose of a feature map is not supported');
        return [{ kind: 't', t: tf.transpose(c.t, perm) }];
      }
      case 'Slice': {
        const starts = [...asConst(inputs[1], 'starts').data];
        const ends = [...asConst(inputs[2], 'ends').data];
        const v = x!;
        const rank = isConst(v) ? v.dims.length : v.t.rank;
        const axes = inputs[3] ? [...asConst(inputs[3], 'axes').data] : starts.map((_, i) => i);
        const steps = inputs[4] ? [...asConst(inputs[4], 'steps').data] : starts.map(() => 1);
        if (isConst(v)) {
          const s = sliceSpec(v.dims, starts, ends, axes, steps);
          return [remap(v, s.count, (idx) => idx.map((i, k) => s.begin[k] + i * s.step[k]))];
        }
        const onnxDims: number[] = rank === 4 ? [0, 3, 1, 2].map((k) => v.t.shape[k]) : v.t.shape;
        const s = sliceSpec(onnxDims, starts, ends, axes, steps);
        if (s.step.some((st) => st < 0)) return fail(node, 'negative steps on a feature map are not supported');
        const order = rank === 4 ? [0, 2, 3, 1] : Array.from({ length: rank }, (_, i) => i);
        const begin = order.map((k) => s.begin[k]);
        const step = order.map((k) => s.step[k]);
        if (rank === 4 && step[0] === 1 && step[3] === 1) {
          // A spatial subsampling (PyTorch's x[:, :, ::2, ::2], option-A shortcuts): wasm's StridedSlice is a
          // per-element JS loop; a contiguous slice, then a 1×1 depthwise conv of ones at that stride, is exact (×1).
          const span = order.map((k) => (s.count[k] === 0 ? 0 : (s.count[k] - 1) * s.step[k] + 1));
          // From the start to the end, a 'valid' stride already stops where the slice does: no copy needed.
          const whole = begin.every((b0) => b0 === 0) && order.every((k, i) => s.count[k] === Math.ceil(v.t.shape[i] / step[i]));
          const cut = whole ? (v.t as tf.Tensor4D) : (tf.slice(v.t, begin, span) as tf.Tensor4D);
          if (step[1] === 1 && step[2] === 1) return [{ kind: 't', t: cut }];
          const ones = tf.ones([1, 1, v.t.shape[3] as number, 1]) as tf.Tensor4D;
          return [{ kind: 't', t: tf.depthwiseConv2d(cut, ones, [step[1], step[2]], 'valid') }];
        }
        const end = order.map((k) => s.begin[k] + s.count[k] * s.step[k]);
        return [{ kind: 't', t: tf.stridedSlice(v.t, begin, end, step) }];
      }
      case 'Pad': {
        const mode = a.mode?.s ? new TextDecoder().decode(a.mode.s) : 'constant';
        if (mode !== 'constant') return fail(node, `mode ${mode} is not supported`);
        const pads = inputs[1] ? [...asConst(inputs[1], 'pads').data] : ints(a.pads, []);
        const value = inputs[2] ? asConst(inputs[2], 'value').data[0] : float(a.value, 0);
        const v = x!;
        if (isConst(v) || v.t.rank !== 4) return fail(node, 'only feature maps are padded');
        if (pads.some((p) => p < 0)) return fail(node, 'negative pads are not supported');
        const pairs = [0, 2, 3, 1].map((k) => [pads[k], pads[k + 4]] as [number, number]);
        return [{ kind: 't', t: tf.pad(v.t, pairs, value) }];
      }
      case 'Reshape': {
        const shape = [...asConst(inputs[1], 'shape').data];
        const v = x!;
        const inDims = isConst(v) ? v.dims : v.t.shape;
        const out = shape.map((d, i) => (d === 0 ? inDims[i] : d));
        const known = out.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
        const total = isConst(v) ? v.data.length : v.t.size;
        const dims = out.map((d) => (d === -1 ? total / known : d));
        if (isConst(v)) return [{ kind: 'c', data: v.data, dims }];
        const src = v.t.rank === 4 ? tf.transpose(v.t, [0, 3, 1, 2]) : v.t;
        const r = tf.reshape(src, dims);
        return [{ kind: 't', t: dims.length === 4 ? tf.transpose(r, [0, 2, 3, 1]) : r }];
      }
      case 'Flatten': {
        const v = x!;
        if (isConst(v)) return fail(node, 'flattening a constant is not supported');
        const axis = int(a.axis, 1);
        const src = v.t.rank === 4 ? tf.transpose(v.t, [0, 3, 1, 2]) : v.t;
        const lead = src.shape.slice(0, axis).reduce((p, d) => p * d, 1);
        return [{ kind: 't', t: tf.reshape(src, [lead, src.size / lead]) }];
      }
      case 'Conv': {
        const v = x!;
        if (isConst(v) || v.t.rank !== 4) return fail(node, 'only 2-D convolutions of feature maps are supported');
        const group = int(a.group, 1);
        let w = weights.get(ni);
        if (!w) {
          const k = asConst(inputs[1], 'weight');
          const [o, i, kh, kw] = k.dims;
          const cin = v.t.shape[3];
          const depthwise = group > 1 && group === cin && group === o && i === 1;
          if (group !== 1 && !depthwise) return fail(node, `group = ${group} (neither 1 nor depthwise) is not supported`);
          // OIHW → HWIO (depthwise: [H, W, C, 1]).
          const hwio = remap(k, depthwise ? [kh, kw, o, 1] : [kh, kw, i, o], (idx) => (depthwise ? [idx[2], 0, idx[0], idx[1]] : [idx[3], idx[2], idx[0], idx[1]]));
          const filter = tf.tensor(Float32Array.from(hwio.data), hwio.dims);
          const bias = inputs[2] ? tf.tensor1d(Float32Array.from(asConst(inputs[2], 'bias').data)) : tf.zeros([o]);
          w = [filter, bias];
          weights.set(ni, w.map((t) => tf.keep(t)));
        }
        const [filter, bias] = w;
        const pads = ints(a.pads, [0, 0, 0, 0]);
        const st = ints(a.strides, [1, 1]) as [number, number];
        const dil = ints(a.dilations, [1, 1]) as [number, number];
        const pad = pads.every((p) => p === 0) ? 'valid' : [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]];
        const x4 = v.t as tf.Tensor4D;
        const t = group === 1
          ? tf.fused.conv2d({ x: x4, filter: filter as tf.Tensor4D, strides: st, pad: pad as 'valid', dilations: dil, bias })
          : tf.fused.depthwiseConv2d({ x: x4, filter: filter as tf.Tensor4D, strides: st, pad: pad as 'valid', dilations: dil, bias });
        return [{ kind: 't', t }];
      }
      case 'Relu':
        return [{ kind: 't', t: tf.relu(asTensor(x!)) }];
      case 'Clip': {
        const lo = inputs[1] ? asConst(inputs[1], 'min').data[0] : float(a.min, -Infinity);
        const hi = inputs[2] ? asConst(inputs[2], 'max').data[0] : float(a.max, Infinity);
        if (lo === 0 && hi === 6) return [{ kind: 't', t: tf.relu6(asTensor(x!)) }];
        return [{ kind: 't', t: tf.clipByValue(asTensor(x!), Math.max(lo, -3.4e38), Math.min(hi, 3.4e38)) }];
      }
      case 'Add': {
        const [p, q] = [inputs[0]!, inputs[1]!];
        if (isConst(p) && isConst(q)) {
          if (p.data.length !== q.data.length && q.data.length !== 1) return fail(node, 'constants of different shapes');
          return [{ kind: 'c', data: p.data.map((v, i) => v + q.data[q.data.length === 1 ? 0 : i]), dims: p.dims }];
        }
        const side = (v: Value, other: Value) => (isConst(v) ? (!isConst(other) && other.t.rank === 4 ? channelOperand(v, label) : asTensor(v)) : v.t);
        return [{ kind: 't', t: tf.add(side(p, q), side(q, p)) }];
      }
      case 'BatchNormalization': {
        let w = weights.get(ni);
        if (!w) {
          const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((k) => asConst(inputs[k], 'parameters').data);
          const { filter, bias } = batchNormAsDepthwise({ gamma, beta, mean, variance, epsilon: float(a.epsilon, 1e-5) });
          weights.set(ni, (w = [filter, bias]));
        }
        const t = asTensor(x!);
        if (t.rank !== 4) return fail(node, 'only 4-D inputs are supported');
        return [{ kind: 't', t: depthwiseBatchNorm(t as tf.Tensor4D, { filter: w[0] as tf.Tensor4D, bias: w[1] as tf.Tensor1D }, fuse) }];
      }
      case 'MaxPool':
      case 'AveragePool': {
        const t = asTensor(x!) as tf.Tensor4D;
        if (int(a.ceil_mode, 0) !== 0) return fail(node, 'ceil_mode = 1 is not supported');
        const k = ints(a.kernel_shape, []) as [number, number];
        const st = ints(a.strides, [1, 1]) as [number, number];
        const pads = ints(a.pads, [0, 0, 0, 0]);
        const dil = ints(a.dilations, [1, 1]);
        if (dil.some((d) => d !== 1)) return fail(node, 'dilated pooling is not supported');
        const zero = pads.every((p) => p === 0);
        if (node.opType === 'AveragePool') {
          if (!zero) return fail(node, 'padded average pooling is not supported');
          return [{ kind: 't', t: tf.avgPool(t, k, st, 'valid') }];
        }
        const padded = zero ? t : tf.pad(t, [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]], -Infinity);
        return [{ kind: 't', t: tf.maxPool(padded, k, st, 'valid') }];
      }
      case 'GlobalAveragePool':
        return [{ kind: 't', t: tf.mean(asTensor(x!), [1, 2], true) }];
      case 'ReduceMean': {
        const t = asTensor(x!);
        const axes = inputs[1] ? [...asConst(inputs[1], 'axes').data] : ints(a.axes, Array.from({ length: t.rank }, (_, i) => i));
        const keep = int(a.keepdims, 1) === 1;
        const norm = axes.map((ax) => (ax < 0 ? ax + t.rank : ax));
        if (t.rank === 4) {
          const sp = norm.map((ax) => TO_NHWC[ax]).sort();
          if (!keep && !(sp.length === 2 && sp[0] === 1 && sp[1] === 2)) return fail(node, 'only a spatial mean drops dims on a feature map');
          return [{ kind: 't', t: tf.mean(t, sp, keep) }];
        }
        return [{ kind: 't', t: tf.mean(t, norm, keep) }];
      }
      case 'Gemm':
      case 'MatMul': {
        let w = weights.get(ni);
        if (!w) {
          const bm = asConst(inputs[1], 'weight');
          if (bm.dims.length !== 2) return fail(node, 'the weight must be 2-D');
          const transB = node.opType === 'Gemm' && int(a.transB, 0) === 1;
          const alpha = node.opType === 'Gemm' ? float(a.alpha, 1) : 1;
          const beta = node.opType === 'Gemm' ? float(a.beta, 1) : 1;
          const kn = transB ? remap(bm, [bm.dims[1], bm.dims[0]], (idx) => [idx[1], idx[0]]) : bm;
          const mat = tf.tensor2d(Float32Array.from(kn.data.map((v) => v * alpha)), kn.dims as [number, number]);
          const c = inputs[2] ? asConst(inputs[2], 'bias') : null;
          w = [mat, c ? tf.tensor(Float32Array.from(c.data.map((v) => v * beta)), c.dims) : tf.scalar(0)];
          weights.set(ni, w.map((t) => tf.keep(t)));
        }
        if (node.opType === 'Gemm' && int(a.transA, 0) === 1) return fail(node, 'transA = 1 is not supported');
        const t = asTensor(x!);
        if (t.rank !== 2) return fail(node, `a rank-${t.rank} input is not supported`);
        return [{ kind: 't', t: tf.add(tf.matMul(t as tf.Tensor2D, w[0] as tf.Tensor2D), w[1]) }];
      }
      default:
        return fail(node, 'not supported by the TF.js runtime');
    }
  }

  // Fold the nodes that do not depend on the batch once, now.
  const batchDependent = new Set<string>([inputName]);
  const live: number[] = [];
  nodes.forEach((node, ni) => {
    const ins = node.input ?? [];
    if (node.opType !== 'Shape' && !ins.some((i) => batchDependent.has(i))) {
      const outs = evalNode(ni, node, ins.map((i) => (i ? consts.get(i) : undefined)));
      (node.output ?? []).forEach((o, k) => outs[k] && consts.set(o, outs[k] as Const));
    } else {
      for (const o of node.output ?? []) batchDependent.add(o);
      live.push(ni);
    }
  });
  const lastUse = new Map<string, number>();
  live.forEach((ni, pos) => (nodes[ni].input ?? []).forEach((i) => lastUse.set(i, pos)));
  // BatchNormalization → Relu pairs where the Relu is the BN output's only reader: run as one op (the BN's depthwise
  // conv with a fused ReLU) unless a batch fetches the BN output itself.
  const readers = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const o of g.output ?? []) readers.set(o.name ?? '', (readers.get(o.name ?? '') ?? 0) + 1);
  const reluAfter = new Map<number, number>();
  live.forEach((ni, pos) => {
    const next = nodes[live[pos + 1]];
    const out = nodes[ni].output?.[0] ?? '';
    if (nodes[ni].opType === 'BatchNormalization' && next?.opType === 'Relu' && next.input?.[0] === out && readers.get(out) === 1) reluAfter.set(pos, pos + 1);
  });

  const toOnnx = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);

  return {
    addTopL2(output, points, positions) {
      topL2.set(points, { of: output, part: 'points' });
      topL2.set(positions, { of: output, part: 'positions' });
    },
    async forward(input, b, [h, w], fetch) {
      const c = input.length / (b * h * w);
      const wanted = new Set(fetch.map((f) => topL2.get(f)?.of ?? f));
      const results = tf.tidy(() => {
        const env = new Map<string, Value>();
        env.set(inputName, { kind: 't', t: tf.transpose(tf.tensor4d(input, [b, c, h, w]), [0, 2, 3, 1]) });
        const kept = new Map<string, tf.Tensor>();
        const get = (name: string): Value | undefined => (name ? (env.get(name) ?? consts.get(name)) : undefined);
        let fusedInto = -1;
        live.forEach((ni, pos) => {
          if (pos === fusedInto) return;
          let node = nodes[ni];
          const fuse = reluAfter.has(pos) && !wanted.has(node.output?.[0] ?? '');
          const outs = evalNode(ni, node, (node.input ?? []).map(get), fuse);
          if (fuse) {
            // The Relu's output is what the fused op computed; the BN output never exists.
            fusedInto = pos + 1;
            node = { ...node, output: nodes[live[pos + 1]].output };
          }
          (node.output ?? []).forEach((o, k) => {
            const v = outs[k];
            if (!v) return;
            env.set(o, v);
            if (wanted.has(o) && v.kind === 't') kept.set(o, v.t);
          });
          // Free what no later node reads (tidy frees the rest at the end).
          for (const i of node.input ?? []) {
            const v = env.get(i);
            if (v && v.kind === 't' && lastUse.get(i) === pos && !kept.has(i)) {
              v.t.dispose();
              env.delete(i);
            }
          }
        });
        // Each layer's top-L2 reduction once, shared by its points and positions fetches.
        const reduced = new Map<string, { points: tf.Tensor; positions: tf.Tensor }>();
        return fetch.map((f) => {
          const tl = topL2.get(f);
          const src = kept.get(tl?.of ?? f);
          if (!src) throw new Error(`${label}: ${f} is not a tensor the TF.js runtime computed`);
          if (!tl) return toOnnx(src);
          // Same definition as the in-graph reduction for onnxruntime (pointClouds.ts): squared norm over channels per
          // position, the first largest, its channel vector; positions are h·W + w (row-major over H×W, as in NCHW).
          let r = reduced.get(tl.of);
          if (!r) {
            r = reduceBatchTopL2(src as tf.Tensor4D);
            reduced.set(tl.of, r);
          }
          return tl.part === 'points' ? r.points : tf.reshape(tf.cast(r.positions, 'float32'), [src.shape[0], 1]);
        });
      });
      try {
        const out: { data: Float32Array; dims: number[] }[] = [];
        for (const t of results) out.push({ data: (await t.data()) as Float32Array, dims: [...t.shape] });
        return out;
      } finally {
        for (const t of results) t.dispose();
      }
    },
    dispose() {
      for (const ws of weights.values()) for (const t of ws) t.dispose();
      weights.clear();
    },
  };
}
