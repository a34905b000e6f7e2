/**
 * The TF.js-op ONNX runtime (src/model/onnx/tfjsRuntime.ts) against onnxruntime-web, the reference, on the bundled
 * resnet18q-final.onnx: every Conv output (NCHW), the logits and the top-L2 reductions of a random batch agree within
 * 1e-3 of the largest magnitude; no tensor is left behind beyond the converted weights.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from '../../src/model/loadModelNode';
import { decodeModel, graphInfo } from '../../src/model/onnx/graph';
import { openTfjsGraph, unsupportedTfjsOp } from '../../src/model/onnx/tfjsRuntime';
import { openOnnxModel } from '../../src/model/onnx/model';

const ONNX = join(__dirname, '../../public/models/resnet18q-final.onnx');

it('runs resnet18q-final.onnx like onnxruntime (layers, logits, top-L2)', async () => {
  await useNodeBackend('wasm');
  const bytes = new Uint8Array(readFileSync(ONNX));
  const proto = decodeModel(bytes, 'resnet18q-final.onnx');
  const info = graphInfo(proto, 'resnet18q-final.onnx');
  expect(unsupportedTfjsOp(proto)).toBe(null);
  const g = openTfjsGraph(proto, info.inputName, 'resnet18q-final.onnx', () => {
    throw new Error('no external data expected');
  });
  const ort = await openOnnxModel(bytes, { label: 'resnet18q-final.onnx' });
  const seed = Math.floor(Math.random() * 2 ** 31);
  let s = seed || 1;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const b = 37;
  const x = Float32Array.from({ length: b * 784 }, rnd);
  ort.layers.forEach((l) => g.addTopL2(l.output, l.topL2!.points, l.topL2!.positions));
  const fetch = [...ort.layers.map((l) => l.output), ort.logitsName!, ...ort.layers.flatMap((l) => [l.topL2!.points, l.topL2!.positions])];
  try {
    const want = await ort.forward(x, b, [28, 28], fetch);
    await g.forward(x, b, [28, 28], fetch); // converts the weights once
    const before = tf.memory().numTensors;
    const got = await g.forward(x, b, [28, 28], fetch);
    expect(tf.memory().numTensors, `seed ${seed}`).toBe(before);
    want.forEach((o, i) => {
      expect(got[i].dims, `${fetch[i]} seed ${seed}`).toEqual(o.dims);
      let m = 0;
      let d = 0;
      for (let k = 0; k < o.data.length; k++) {
        m = Math.max(m, Math.abs(o.data[k]));
        d = Math.max(d, Math.abs(o.data[k] - got[i].data[k]));
      }
      expect(d, `${fetch[i]} seed ${seed}`).toBeLessThanOrEqual(1e-3 * Math.max(m, 1e-6));
    });
  } finally {
    ort.dispose();
    g.dispose();
  }
}, 120_000);

it('names the first op it cannot run, so the caller keeps onnxruntime', () => {
  const proto = decodeModel(new Uint8Array(readFileSync(ONNX)), 'resnet18q-final.onnx');
  const relus = proto.graph!.node!.filter((n) => n.opType === 'Relu');
  const pick = Math.floor(Math.random() * relus.length);
  relus[pick].opType = 'Softplus';
  expect(unsupportedTfjsOp(proto), `Relu #${pick} made Softplus`).toBe('Softplus');
  relus[pick].opType = 'Relu';
  relus[pick].domain = 'com.example';
  expect(unsupportedTfjsOp(proto)).toBe('com.example:Relu');
});
