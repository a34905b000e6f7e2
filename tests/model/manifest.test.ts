/**
 * Dropped models (issue 18): identified by topology and weights, shards checked against the manifest's sizes,
 * and every malformed manifest field named in the message.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelArtifactsFromFiles, userModelId, type ModelFile } from '../../src/model/userModel';
import { checkManifest, groupBytes } from '../../src/model/modelManifest';

const MODELS = 'public/models';
function bundled(name: string): ModelFile[] {
  return ['model.json', 'group1-shard1of1.bin'].map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(MODELS, name, f))) }));
}

/** A tiny model.json (one Dense kernel + bias of the given sizes) and its shard. */
function dense(inputs: number, units: number, shardBytes = 4 * (inputs * units + units), manifest?: unknown): ModelFile[] {
  const topology = {
    class_name: 'Sequential',
    config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units, batch_input_shape: [null, inputs] } }] },
  };
  const weightsManifest = manifest ?? [
    { paths: ['./w.bin'], weights: [{ name: 'd/kernel', shape: [inputs, units], dtype: 'float32' }, { name: 'd/bias', shape: [units], dtype: 'float32' }] },
  ];
  const json = JSON.stringify({ format: 'layers-model', modelTopology: topology, weightsManifest });
  return [
    { name: 'model.json', bytes: new TextEncoder().encode(json) },
    { name: 'w.bin', bytes: new Uint8Array(shardBytes).map((_, i) => i & 255) },
  ];
}

describe('model identity', () => {
  it('the three bundled checkpoints share model.json but get three ids; the same files always the same id', () => {
    const names = ['resnet18q-init', 'resnet18q-epoch1', 'resnet18q-final'];
    const files = names.map(bundled);
    expect(new Set(files.map((f) => Buffer.from(f[0].bytes).toString('hex'))).size).toBe(1);
    const ids = files.map(userModelId);
    expect(new Set(ids).size).toBe(3);
    expect(ids.map((id) => /^user-model:[0-9a-f]{16}$/.test(id))).toEqual([true, true, true]);
    expect(userModelId(bundled('resnet18q-final'))).toBe(ids[2]);
    // The artifacts carry the dropped checkpoint's own bytes, not the first one's.
    const a = new Uint8Array(modelArtifactsFromFiles(files[0]).artifacts.weightData as ArrayBuffer);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(files[0][1].bytes))).toBe(0);
  });

  it('one changed weight byte changes the id', () => {
    const files = dense(3, 2);
    const other = files.map((f) => ({ ...f, bytes: f.bytes.slice() }));
    other[1].bytes[5] ^= 1;
    expect(userModelId(other)).not.toBe(userModelId(files));
  });
});

describe('shard sizes', () => {
  it('a shard of another (larger) model is refused, naming the file and both sizes', () => {
    expect(() => userModelId(dense(3, 2, 4 * 800))).toThrow(
      'w.bin is 3200 bytes, but model.json (weightsManifest[0], 2 weights) needs 32 bytes: these weights belong to another model',
    );
    expect(() => userModelId(dense(3, 2, 30))).toThrow(/w\.bin is 30 bytes, but model\.json .* needs 32 bytes: the file is truncated/);
  });

  it('several shards of a group are summed; quantized weights count their stored dtype', () => {
    const two = [{ paths: ['a.bin', 'b.bin'], weights: [{ name: 'k', shape: [10, 10], dtype: 'float32' }] }];
    const json = (m: unknown) => ({ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify({ modelTopology: { class_name: 'Sequential', config: {} }, weightsManifest: m })) });
    const shard = (name: string, n: number) => ({ name, bytes: new Uint8Array(n) });
    expect(() => userModelId([json(two), shard('a.bin', 200), shard('b.bin', 200)])).not.toThrow();
    expect(() => userModelId([json(two), shard('a.bin', 200), shard('b.bin', 100)])).toThrow(/^a\.bin \+ b\.bin are 300 bytes together, but model\.json .* needs 400 bytes/);
    const q = [{ paths: ['a.bin'], weights: [{ name: 'k', shape: [7, 3], dtype: 'float32', quantization: { dtype: 'uint16', scale: 1, min: 0 } }] }];
    expect(groupBytes(checkManifest(q, 'model.json')[0])).toBe(42);
    expect(() => userModelId([json(q), shard('a.bin', 42)])).not.toThrow();
  });
});

describe('manifest fields are named', () => {
  const cases: [string, unknown, string][] = [
    ['not a list', { paths: [] }, 'model.json: weightsManifest must be a list of weight groups (got an object)'],
    ['a group is null', [null], 'model.json: weightsManifest[0] must be an object {paths, weights} (got null)'],
    ['no weights', [{ paths: ['w.bin'] }], 'model.json: weightsManifest[0].weights must be a list of {name, shape, dtype} (got undefined)'],
    ['weights null', [{ paths: ['w.bin'], weights: null }], 'model.json: weightsManifest[0].weights must be a list of {name, shape, dtype} (got null)'],
    ['no paths', [{ weights: [] }], 'model.json: weightsManifest[0].paths must be a list of weight file names (got undefined)'],
    ['a path is a number', [{ paths: [3], weights: [] }], 'model.json: weightsManifest[0].paths[0] must be a file name (got 3)'],
    ['a weight without a name', [{ paths: ['w.bin'], weights: [{ shape: [1], dtype: 'float32' }] }], 'model.json: weightsManifest[0].weights[0].name must be a weight name (got undefined)'],
    ['a negative dimension', [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [2, -1], dtype: 'float32' }] }], 'model.json: weightsManifest[0].weights[0].shape must be a list of non-negative integers (got a list)'],
    ['a shape that is a string', [{ paths: ['w.bin'], weights: [{ name: 'k', shape: '3', dtype: 'float32' }] }], 'model.json: weightsManifest[0].weights[0].shape must be a list of non-negative integers (got "3")'],
    ['an unknown dtype', [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [2], dtype: 'float64' }] }], 'model.json: weightsManifest[0].weights[0].dtype must be one of float32, int32, bool, complex64, string (got "float64")'],
    ['a bad quantization', [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [2], dtype: 'float32', quantization: { dtype: 'int4' } }] }], 'model.json: weightsManifest[0].weights[0].quantization.dtype must be one of uint8, uint16, float16 (got "int4")'],
  ];
  it.each(cases)('%s', (_, manifest, message) => {
    expect(() => userModelId(dense(3, 2, 32, manifest))).toThrow(message);
  });
});
