/**
 * The whole Mapper graph (l2norm lens, 40 intervals, 40 % overlap, DBSCAN min_samples 5, eps at the knee) equals
 * the scikit-learn pipeline with KeplerMapper's cover (bench/mapper_reference.py) on the bundled model's layer
 * clouds: the same knee eps to the bit, every node's members, every edge. On one thread and on two
 * (buildMapperInThreads), and on a large random cloud the two-thread run equals the one-thread run.
 *
 * Layers: the first, the last and one drawn from a fresh seed every run (CONVTOPO_SEED replays it). The reference
 * runs sklearn with algorithm='ball_tree', whose distances are summed in coordinate order like ours: the knee eps
 * is the distance of a pair of points, and only the same arithmetic decides that pair the same way (brute force
 * rounds it through BLAS; see the reference's docstring).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareGraphs, type ReferenceGraph } from '../../bench/mapper_compare';
import { loadBundledDataset } from '../../src/data/bundled';
import { writeNpy } from '../../src/io/npy';
import { buildMapper } from '../../src/mapper/mapper';
import { buildMapperInThreads } from '../../src/mapper/nodeThreads';
import { computeLayerClouds, sourceFromLayersModel, type LayerCloud } from '../../src/model/activations';
import { loadModelNode, nodeReadFile, useNodeBackend } from '../../src/model/loadModelNode';
import { pythonOracle } from '../helpers/oracle';
import { noisyMixture, rng, testSeed } from './data';

const oracle = pythonOracle(['sklearn', 'numpy'], 'python3-sklearn python3-numpy');
const REFERENCE = join(__dirname, '..', '..', 'bench', 'mapper_reference.py');

describe.skipIf(!oracle.available)('Mapper graph equals the sklearn + KeplerMapper-cover pipeline on the bundled model', () => {
  const seed = testSeed();
  const dir = mkdtempSync(join(tmpdir(), 'convtopo-mapper-oracle-'));
  let clouds: LayerCloud[] = [];
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const { model, card } = await loadModelNode('public/models/resnet18q-final');
    const dataset = await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile);
    const source = sourceFromLayersModel(model);
    const last = source.layers.length - 1;
    const middle = 1 + Math.floor(rng(seed)() * (last - 1));
    clouds = await computeLayerClouds(source, dataset, [source.layers[0], source.layers[middle], source.layers[last]], {
      normalization: card.normalization,
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const reference = (file: string): ReferenceGraph => {
    const out = join(dir, 'reference.json');
    execFileSync('/usr/bin/python3', [REFERENCE, file, 'knee', '40', '0.4', '5', '--algorithm', 'ball_tree', '--nodes', out]);
    return JSON.parse(readFileSync(out, 'utf8')) as ReferenceGraph;
  };

  it(`every node and edge, on one thread and on two (seed ${seed})`, async () => {
    expect(clouds.length).toBe(3);
    for (const { layer, cloud } of clouds) {
      const where = `seed ${seed}, layer ${layer.index} (${layer.name}, ${cloud.n}×${cloud.d})`;
      const file = join(dir, `layer${layer.index}.npy`);
      writeFileSync(file, writeNpy(cloud.data, [cloud.n, cloud.d]));
      const ref = reference(file);
      const ours = await buildMapper(cloud);
      expect(ours.eps, `${where}: knee eps`).toBe(ref.eps);
      expect(ours.nodes.length, where).toBeGreaterThan(10);
      const one = compareGraphs(ours, ref);
      expect(one.examples, `${where}: ${one.nodesDiffering} nodes and ${one.edgesDiffering} edges differ`).toEqual([]);
      const two = await buildMapperInThreads(cloud, {}, {}, { threads: 2, mainThreadWorks: layer.index % 2 === 0 });
      const c2 = compareGraphs(two, ref);
      expect(c2.examples, `${where}, two threads: ${c2.nodesDiffering} nodes and ${c2.edgesDiffering} edges differ`).toEqual([]);
    }
  }, 60_000);

  it(`a large random cloud: two threads give the one-thread graph (seed ${seed})`, async () => {
    const r = rng(seed ^ 0x5eed);
    const cloud = noisyMixture(10000 + Math.floor(r() * 6000), 16 + Math.floor(r() * 32), r);
    const one = await buildMapper(cloud);
    const two = await buildMapperInThreads(cloud, {}, {}, { threads: 2 });
    expect(two.eps, `seed ${seed}`).toBe(one.eps);
    const asRef: ReferenceGraph = {
      eps: one.eps!,
      nodes: one.nodes.map((nd) => ({ cube: nd.interval, id: nd.id, cluster: nd.cluster, members: Array.from(nd.members) })),
      links: one.edges.map((e) => [e.source, e.target]),
    };
    const c = compareGraphs(two, asRef);
    expect(c.examples, `seed ${seed}, ${cloud.n}×${cloud.d}`).toEqual([]);
    expect(one.nodes.length).toBeGreaterThan(10);
  }, 60_000);
});
