import { describe, expect, it } from 'vitest';
import { createMapperJobApi } from '../../src/mapper/jobs';
import { layoutMapperGraph } from '../../src/mapper/layout';
import { buildMapper, type MapperGraph } from '../../src/mapper/mapper';
import { blobs, noisyMixture, rng, testSeed } from './data';

/** Every pair of nodes in different components: their discs are apart. Every position finite. */
function checkLayout(g: MapperGraph, layout: ReturnType<typeof layoutMapperGraph>, where: string): void {
  const { x, y, radius } = layout;
  expect(x.length, where).toBe(g.nodes.length);
  for (let t = 0; t < g.nodes.length; t++) expect(Number.isFinite(x[t]) && Number.isFinite(y[t]), `${where}: node ${t}`).toBe(true);
  // Components' boxes (discs included) are disjoint.
  const box = Array.from({ length: g.nComponents }, () => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }));
  for (let t = 0; t < g.nodes.length; t++) {
    const b = box[g.components[t]];
    b.x0 = Math.min(b.x0, x[t] - radius[t]); b.x1 = Math.max(b.x1, x[t] + radius[t]);
    b.y0 = Math.min(b.y0, y[t] - radius[t]); b.y1 = Math.max(b.y1, y[t] + radius[t]);
  }
  for (let a = 0; a < box.length; a++) {
    for (let c = a + 1; c < box.length; c++) {
      const p = box[a], q = box[c];
      const apart = p.x1 <= q.x0 || q.x1 <= p.x0 || p.y1 <= q.y0 || q.y1 <= p.y0;
      expect(apart, `${where}: components ${a} and ${c} overlap`).toBe(true);
    }
  }
}

describe('Mapper layout (positions computed with the graph)', () => {
  const seed = testSeed();

  it(`is deterministic, finite, and keeps components apart (seed ${seed})`, async () => {
    const r = rng(seed);
    // A random mixture occasionally gives a single component; draw again (same stream) until there are several.
    let g = await buildMapper(noisyMixture(1500, 8, r), { nIntervals: 30 });
    for (let k = 0; k < 10 && g.nComponents < 2; k++) g = await buildMapper(noisyMixture(1500, 8, r), { nIntervals: 30 });
    const a = layoutMapperGraph(g, { seed: 7 });
    const b = layoutMapperGraph(g, { seed: 7 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(g.nComponents, `seed ${seed}`).toBeGreaterThan(1);
    checkLayout(g, a, `seed ${seed}`);
    const c = layoutMapperGraph(g, { seed: 8 });
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
  });

  it('places the largest component first (top-left); nodes of a component barely overlap', async () => {
    const g = await buildMapper(blobs(900, 4, 3, 41, 0.4, 8), { nIntervals: 20 });
    const l = layoutMapperGraph(g);
    checkLayout(g, l, 'blobs');
    const sizes = new Array(g.nComponents).fill(0);
    for (let t = 0; t < g.nodes.length; t++) sizes[g.components[t]]++;
    const biggest = sizes.indexOf(Math.max(...sizes));
    const first = g.nodes.findIndex((_, t) => g.components[t] === biggest);
    const minX = (c: number): number => Math.min(...g.nodes.map((_, t) => (g.components[t] === c ? l.x[t] - l.radius[t] : Infinity)));
    expect(minX(biggest)).toBeLessThanOrEqual(Math.min(...sizes.map((_, c) => minX(c))) + 1e-9);
    expect(first).toBeGreaterThanOrEqual(0);
    const dist = (s: number, t: number): number => Math.hypot(l.x[s] - l.x[t], l.y[s] - l.y[t]);
    for (let s = 0; s < g.nodes.length; s++) {
      for (let t = s + 1; t < g.nodes.length; t++) expect(dist(s, t), `nodes ${s}, ${t}`).toBeGreaterThan(0.8 * (l.radius[s] + l.radius[t]));
    }
  });

  it('comes back from the job API with the graph, the same for the same graph', async () => {
    const api = createMapperJobApi();
    const cloud = blobs(600, 3, 2, 42);
    const one = await api.run(1, cloud, { nIntervals: 12 });
    const two = await api.run(1, cloud, { nIntervals: 12 });
    expect(one.layout).toBeDefined();
    expect(Array.from(one.layout!.x)).toEqual(Array.from(two.layout!.x));
    expect(Array.from(one.layout!.y)).toEqual(Array.from(layoutMapperGraph(one).y));
  });
});
