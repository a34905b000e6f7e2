/**
 * The graph edit that adds studied tensors to an ONNX model's outputs keeps every byte it does not need to change
 * (unknown fields at the top level, inside the graph and inside nodes survive), the edited model runs, and the
 * input contract's preprocessing equals the TF.js path's (resize, grey ↔ RGB, per-channel mean/std).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from 'protobufjs/minimal';
import { onnx } from 'onnx-proto';
import { addGraphOutputs, decodeModel, graphInfo } from '../../src/model/onnx/graph';
import { groupLayers } from '../../src/model/onnx/groups';
import { imagesToNchw, parsePreprocessJson, sidecarName } from '../../src/model/onnx/input';
import { createSession, loadOrt } from '../../src/model/onnx/runtime';
import { preprocessBatch } from '../../src/model/activations';
import { useNodeBackend } from '../../src/model/loadModelNode';
import { mulberry32 } from '../../src/random';

const DIR = join(__dirname, 'fixtures/onnx');
const SEED = Number(process.env.CONVTOPO_SEED ?? Math.floor(Math.random() * 2 ** 31));

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Top-level (field number, payload) records of a length-delimited message. */
function fields(bytes: Uint8Array): { field: number; start: number; end: number; payload?: Uint8Array }[] {
  const r = Reader.create(bytes);
  const out: { field: number; start: number; end: number; payload?: Uint8Array }[] = [];
  while (r.pos < r.len) {
    const start = r.pos;
    const tag = r.uint32();
    if ((tag & 7) === 2) {
      const len = r.uint32();
      out.push({ field: tag >>> 3, start, end: r.pos + len, payload: bytes.subarray(r.pos, r.pos + len) });
      r.skip(len);
    } else {
      r.skipType(tag & 7);
      out.push({ field: tag >>> 3, start, end: r.pos });
    }
  }
  return out;
}

/** plain.onnx with unknown fields: 1000 (varint) and 1001 (bytes) at the top, 1002 inside the graph, 1003 in node 0. */
function withUnknownFields(): { bytes: Uint8Array; top: Uint8Array; inGraph: Uint8Array; inNode: Uint8Array } {
  const original = new Uint8Array(readFileSync(join(DIR, 'plain.onnx')));
  const top = new Writer().uint32((1000 << 3) | 0).uint32(424242).uint32((1001 << 3) | 2).bytes(new TextEncoder().encode('vendor data')).finish();
  const inGraph = new Writer().uint32((1002 << 3) | 2).bytes(new Uint8Array([1, 2, 3, 4])).finish();
  const inNode = new Writer().uint32((1003 << 3) | 0).uint32(7).finish();
  const parts: Uint8Array[] = [];
  for (const f of fields(original)) {
    if (f.field !== 7) {
      parts.push(original.subarray(f.start, f.end));
      continue;
    }
    // Rebuild the graph: node 0 gets the unknown field 1003 appended, the graph gets 1002.
    const gParts: Uint8Array[] = [];
    let first = true;
    for (const g of fields(f.payload!)) {
      if (g.field === 1 && first) {
        first = false;
        gParts.push(new Writer().uint32((1 << 3) | 2).bytes(concat(g.payload!, inNode)).finish());
      } else {
        gParts.push(f.payload!.subarray(g.start, g.end));
      }
    }
    parts.push(new Writer().uint32((7 << 3) | 2).bytes(concat(...gParts, inGraph)).finish());
  }
  return { bytes: concat(top, ...parts, top), top, inGraph, inNode };
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('adding graph outputs', () => {
  it('keeps unknown fields at every level byte for byte (a decode/encode round trip would drop them)', () => {
    const { bytes, top, inGraph, inNode } = withUnknownFields();
    const model = decodeModel(bytes, 'm');
    const info = graphInfo(model, 'm');
    const names = info.candidates.map((c) => c.output);
    const edited = addGraphOutputs(bytes, names, info.outputs.map((o) => o.name));
    // Everything except the graph field is the same bytes in the same order; the graph payload is a prefix of the new one.
    const a = fields(bytes);
    const b = fields(edited);
    expect(b.map((f) => f.field)).toEqual(a.map((f) => f.field));
    for (let i = 0; i < a.length; i++) {
      if (a[i].field === 7) {
        expect(Buffer.from(b[i].payload!.subarray(0, a[i].payload!.length)).equals(Buffer.from(a[i].payload!))).toBe(true);
      } else {
        expect(Buffer.from(edited.subarray(b[i].start, b[i].end)).equals(Buffer.from(bytes.subarray(a[i].start, a[i].end)))).toBe(true);
      }
    }
    for (const u of [top, inGraph, inNode]) expect(contains(edited, u)).toBe(true);
    const again = decodeModel(edited, 'm');
    expect(again.graph!.output!.map((o) => o.name)).toEqual(['logits', ...names]);
    // Why the edit is made on the wire: the generated decoder/encoder drops what its schema does not know.
    const roundTrip = onnx.ModelProto.encode(model).finish();
    expect(contains(roundTrip, inGraph) || contains(roundTrip, top)).toBe(false);
  });

  it('the edited model runs and returns the added tensors', async () => {
    const { bytes } = withUnknownFields();
    const info = graphInfo(decodeModel(bytes, 'm'), 'm');
    const names = info.candidates.map((c) => c.output);
    const session = await createSession(addGraphOutputs(bytes, names, ['logits']), 'm');
    const ort = await loadOrt();
    const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16), [2, 3, 16, 16]) });
    expect(Object.keys(out).sort()).toEqual(['logits', ...names].sort());
    expect(out[names[0]].dims).toEqual([2, 8, 16, 16]);
    await session.release();
  });

  it('names already among the outputs are not repeated; nothing to add returns the same bytes', () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'plain.onnx')));
    expect(addGraphOutputs(bytes, ['logits'], ['logits'])).toBe(bytes);
  });
});

describe('input contract', () => {
  it('imagesToNchw equals the TF.js preprocessing (resize, grey ↔ RGB, mean/std), transposed to NCHW', async () => {
    await useNodeBackend('wasm');
    const rand = mulberry32(SEED);
    const cases: { src: [number, number, number]; dst: [number, number, number] }[] = [
      { src: [9, 7, 3], dst: [9, 7, 3] },
      { src: [9, 7, 3], dst: [16, 12, 3] },
      { src: [20, 24, 1], dst: [8, 10, 3] },
      { src: [11, 13, 3], dst: [11, 13, 1] },
    ];
    for (const { src, dst } of cases) {
      const b = 2;
      const pixels = Uint8Array.from({ length: b * src[0] * src[1] * src[2] }, () => Math.floor(rand() * 256));
      const mean = dst[2] === 3 ? [0.485, 0.456, 0.406] : [0.3];
      const std = dst[2] === 3 ? [0.229, 0.224, 0.225] : [0.4];
      const ours = imagesToNchw(pixels, [b, ...src], dst, { mean, std });
      const theirs = preprocessBatch(pixels, [b, ...src], dst, { mean, std });
      const nhwc = await theirs.data();
      theirs.dispose();
      const [h, w, c] = dst;
      let worst = 0;
      for (let i = 0; i < b; i++) {
        for (let k = 0; k < c; k++) {
          for (let p = 0; p < h * w; p++) worst = Math.max(worst, Math.abs(ours[(i * c + k) * h * w + p] - nhwc[(i * h * w + p) * c + k]));
        }
      }
      expect(worst, `${src.join('×')} → ${dst.join('×')}, seed ${SEED}`).toBeLessThan(1e-5);
    }
  });

  it('the sidecar gives mean, std and class names; bad values are named', () => {
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    expect(sidecarName('dir/net.onnx')).toBe('dir/net.preprocess.json');
    expect(parsePreprocessJson(enc({ mean: [0.5, 0.5, 0.5], std: 0.25, classNames: ['a', 'b'] }), 's')).toEqual({
      mean: [0.5, 0.5, 0.5],
      std: [0.25],
      classNames: ['a', 'b'],
    });
    expect(parsePreprocessJson(enc({}), 's')).toEqual({ mean: [0], std: [1], classNames: undefined });
    expect(() => parsePreprocessJson(enc({ std: [0] }), 's.json')).toThrow(/s\.json: std must be > 0/);
    expect(() => parsePreprocessJson(enc({ mean: 'x' }), 's.json')).toThrow(/mean must be a number or a list/);
    expect(() => parsePreprocessJson(new TextEncoder().encode('{'), 's.json')).toThrow(/not valid JSON/);
  });
});

describe('layer groups for any number of layers', () => {
  it('groups torchvision-style names by their first segment', () => {
    const names = ['/conv1/Conv', '/layer1/layer1.0/conv1/Conv', '/layer1/layer1.0/conv2/Conv', '/layer2/layer2.0/conv1/Conv', '/layer2/layer2.0/downsample/downsample.0/Conv'];
    expect(groupLayers(names, names.map(() => [4, 4, 4]))).toEqual(['conv1', 'layer1', 'layer1', 'layer2', 'layer2']);
  });
  it('falls back to the spatial size when the names do not split into 2–12 stages', () => {
    const names = Array.from({ length: 40 }, (_, i) => `/features/features.${i}/Conv`);
    const shapes = names.map((_, i) => [i < 20 ? 24 : 12, i < 20 ? 24 : 12, 8] as [number, number, number]);
    const g = groupLayers(names, shapes);
    expect(new Set(g)).toEqual(new Set(['24×24', '12×12']));
  });
});
