import { describe, expect, it } from 'vitest';
import { buildMapper, toKeplerJson, type MapperGraph } from '../../src/mapper/mapper';
import { graphPurity, nerveEdges } from '../../src/mapper/graph';
import { createMapperJobApi } from '../../src/mapper/jobs';
import type { PointCloud } from '../../src/types';
import { blobs, gaussian, rng } from './data';

function cloud2d(points: number[][]): PointCloud {
  const d = points[0].length;
  return { data: Float32Array.from(points.flat()), n: points.length, d };
}

/** First Betti number of the graph: edges − nodes + components. */
const cycles = (g: MapperGraph): number => g.edges.length - g.nodes.length + g.nComponents;

function degrees(g: MapperGraph): number[] {
  const deg = new Array(g.nodes.length).fill(0);
  for (const e of g.edges) { deg[e.source]++; deg[e.target]++; }
  return deg;
}

describe('Mapper graph shapes', () => {
  it('a noisy circle gives a connected graph with exactly one cycle', async () => {
    const r = rng(31), g = gaussian(r);
    const pts = Array.from({ length: 600 }, () => {
      const t = 2 * Math.PI * r(), rad = 1 + 0.03 * g();
      return [rad * Math.cos(t), rad * Math.sin(t)];
    });
    const graph = await buildMapper(cloud2d(pts), { lens: { kind: 'coordinate', index: 0 }, nIntervals: 8, overlap: 0.3, eps: 0.15, minSamples: 3 });
    expect(graph.nodes.length).toBeGreaterThan(4);
    expect(graph.nComponents).toBe(1);
    expect(cycles(graph)).toBe(1);
  });

  it('two far blobs give two components, each holding one blob', async () => {
    const cloud = blobs(400, 5, 2, 32, 0.5, 20);
    const graph = await buildMapper(cloud, { nIntervals: 10 });
    expect(graph.nComponents).toBe(2);
    // Blob membership alternates with the point index (i % 2); a component never mixes the two.
    for (let c = 0; c < 2; c++) {
      const parity = new Set(graph.nodes.filter((_, t) => graph.components[t] === c).flatMap((nd) => Array.from(nd.members, (i) => i % 2)));
      expect(parity.size).toBe(1);
    }
  });

  it('a Y shape gives a tree with three leaves', async () => {
    const r = rng(33), g = gaussian(r);
    const pts: number[][] = [];
    for (const angle of [90, 210, 330]) {
      const a = (angle * Math.PI) / 180;
      for (let i = 0; i < 300; i++) {
        const t = r();
        pts.push([t * Math.cos(a) + 0.01 * g(), t * Math.sin(a) + 0.01 * g()]);
      }
    }
    const graph = await buildMapper(cloud2d(pts), { nIntervals: 8, overlap: 0.3, eps: 0.08, minSamples: 3 });
    expect(graph.nComponents).toBe(1);
    expect(cycles(graph)).toBe(0);
    expect(degrees(graph).filter((x) => x === 1).length).toBe(3);
  });

  it('reports the knee eps it used and KeplerMapper-shaped JSON with cube/cluster ids', async () => {
    const graph = await buildMapper(blobs(300, 4, 3, 34), { nIntervals: 6 });
    expect(graph.eps).toBeGreaterThan(0);
    const json = toKeplerJson(graph);
    expect(Object.keys(json.nodes).length).toBe(graph.nodes.length);
    for (const id of Object.keys(json.nodes)) expect(id).toMatch(/^cube\d+_cluster\d+$/);
    for (const [id, targets] of Object.entries(json.links)) {
      expect(json.nodes[id]).toBeDefined();
      for (const t of targets) expect(json.nodes[t]).toBeDefined();
    }
    expect(json.eps).toBe(graph.eps);
  });

  it('a 2-D lens covers by products: a filled square with 3 × 3 intervals gives 9 connected nodes', async () => {
    const r = rng(37);
    const pts = Array.from({ length: 2000 }, () => [r(), r()]);
    const graph = await buildMapper(cloud2d(pts), {
      lens: { kind: 'coordinate', index: 0 }, lens2: { kind: 'coordinate', index: 1 }, nIntervals: 3, overlap: 0.3, eps: 0.1, minSamples: 3,
    });
    expect(graph.nodes.length).toBe(9);
    expect(graph.nodes.map((nd) => nd.cell)).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
    expect(graph.nComponents).toBe(1);
    // Horizontal and vertical neighbours share points, and so do diagonal ones (corners lie in four sets).
    expect(graph.edges.length).toBe(12 + 8);
  });

  it('linkage clusterers run per interval: single linkage separates two far blobs into two components', async () => {
    const cloud = blobs(300, 3, 2, 38, 0.3, 20);
    const graph = await buildMapper(cloud, { nIntervals: 6, clusterer: 'single', distanceThreshold: 1 });
    expect(graph.eps).toBeNull();
    expect(graph.nComponents).toBe(2);
  });

  it('refuses bad options naming the parameter and its range', async () => {
    const cloud = blobs(20, 2, 1, 1);
    await expect(buildMapper(cloud, { overlap: 1.5 })).rejects.toThrow(/overlap must be a number from 0 to 0.99 \(got 1.5\)/);
    await expect(buildMapper(cloud, { minSamples: 0 })).rejects.toThrow(/minSamples must be an integer from 1 to 1000 \(got 0\)/);
    await expect(buildMapper(cloud, { labels: new Int32Array(3) })).rejects.toThrow(/one label per point: got 3 labels for 20 points/);
    await expect(buildMapper(cloud, { clusterer: 'average' })).rejects.toThrow(/exactly one of distanceThreshold/);
  });
});

describe('edges and purity', () => {
  const nodes = [{ members: [0, 1, 2] }, { members: [2, 3] }, { members: [5] }];
  it('joins nodes sharing points, with shared count and Jaccard weight', () => {
    expect(nerveEdges(nodes, 6)).toEqual([{ source: 0, target: 1, shared: 1, jaccard: 1 / 4 }]);
    expect(nerveEdges(nodes, 6, 2)).toEqual([]);
  });
  it('point purity is the mean same-label fraction over the nodes holding the point (hand-checked)', () => {
    // labels 0,0,1,1,0,0: node A = {0,1,2} has fractions 2/3 (label 0) and 1/3 (label 1); B = {2,3} all label 1;
    // C = {5} pure. Points: 0 → 2/3, 1 → 2/3, 2 → (1/3 + 1)/2 = 2/3, 3 → 1, 4 uncovered, 5 → 1.
    const p = graphPurity(nodes, Int32Array.of(0, 0, 1, 1, 0, 0));
    expect(Array.from(p.points).slice(0, 4).map((v) => v.toFixed(6))).toEqual(['0.666667', '0.666667', '0.666667', '1.000000']);
    expect(p.points[4]).toBeNaN();
    expect(p.covered).toBe(5);
    expect(p.graph).toBeCloseTo((2 / 3) * 3 / 5 + 2 / 5, 12);
  });
  it('labelled runs carry class histograms per node and a graph purity', async () => {
    const cloud = blobs(300, 3, 3, 35, 0.3, 6);
    const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const graph = await buildMapper(cloud, { nIntervals: 8, labels });
    for (const nd of graph.nodes) expect(nd.classCounts!.reduce((a, b) => a + b, 0)).toBe(nd.members.length);
    expect(graph.purity!.graph).toBeGreaterThan(0.9); // three well-separated blobs, one class each
  });
});

describe('Mapper jobs (what the worker exposes)', () => {
  it('a cancelled run rejects with an AbortError and the API stays usable', async () => {
    const api = createMapperJobApi();
    const cloud = blobs(1500, 8, 4, 36);
    let seen = 0;
    const run = api.run(1, cloud, { nIntervals: 40 }, (p) => {
      if (p.phase === 'intervals' && ++seen === 2) api.cancel(1);
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const progress: number[] = [];
    const graph = await api.run(2, cloud, { nIntervals: 40 }, (p) => {
      if (p.phase === 'intervals') progress.push(p.done);
    });
    expect(progress[progress.length - 1]).toBe(40);
    expect(graph.nodes.length).toBe((await buildMapper(cloud, { nIntervals: 40 })).nodes.length);
  });
});
