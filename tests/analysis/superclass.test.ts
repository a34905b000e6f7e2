import { describe, expect, it } from 'vitest';
import {
  chancePurity,
  FASHION_MNIST_SUPERCLASSES,
  firstFromWhichAlways,
  superclassesFor,
  superclassSeparation,
  superLabels,
  type GraphLike,
} from '../../src/analysis/superclass';
import { components, nerveEdges } from '../../src/mapper/graph';

/** A Mapper-like graph from member lists (edges and components computed the way buildMapper does). */
function graph(members: number[][], nPoints: number): GraphLike {
  const nodes = members.map((m) => ({ members: Int32Array.from(m) }));
  const edges = nerveEdges(nodes, nPoints);
  const c = components(nodes.length, edges);
  return { nodes, edges, components: c.component, nComponents: c.count };
}

// Fashion-MNIST classes: 0 T-shirt (upper), 5 Sandal (footwear), 7 Sneaker (footwear), 1 Trouser (rest), 2 Pullover (upper).
describe('super-class separation in a Mapper graph', () => {
  it('maps Fashion-MNIST classes to upper-body / footwear / rest', () => {
    expect(Array.from(superLabels([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual([0, 2, 0, 2, 0, 1, 0, 1, 2, 1]);
    expect(() => superLabels([10])).toThrow(/label 10/);
    expect(superclassesFor(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'])).toBe(FASHION_MNIST_SUPERCLASSES);
    expect(superclassesFor(['a', 'b'])).toBeNull();
  });

  it('chance purity is the sum of squared label frequencies', () => {
    expect(chancePurity([0, 0, 1, 1])).toBeCloseTo(0.5, 12);
    expect(chancePurity([0, 0, 0, 1])).toBeCloseTo(0.625, 12);
  });

  it('two pure branches joined only through a "rest" node are separated but not in different components', () => {
    // points 0-3 footwear, 4-7 upper, 8-9 rest; node A footwear, node B rest (shares 3 and 4 with A and C), node C upper.
    const labels = [5, 5, 7, 7, 0, 0, 2, 2, 1, 1];
    const g = graph([[0, 1, 2, 3, 8], [3, 8, 9, 4], [4, 5, 6, 7, 9]], 10);
    const s = superclassSeparation(g, labels);
    // Node B = {3 footwear, 8 rest, 9 rest, 4 upper}: 25 % footwear and 25 % upper → mixed at the 10 % threshold.
    expect(s.mixedNodes).toBe(1);
    expect(s.separated).toBe(false);
    // At a 30 % threshold B no longer mixes; its majority is rest, so neither edge is a cross edge.
    const loose = superclassSeparation(g, labels, { mixThreshold: 0.3 });
    expect(loose.mixedNodes).toBe(0);
    expect(loose.crossEdges).toBe(0);
    expect(loose.separated).toBe(true);
    // One component holding 4 footwear and 4 upper of its 10 points → mixed component.
    expect(loose.mixedComponents).toBe(1);
    expect(loose.separatedComponents).toBe(false);
    expect(loose.nodeMajority).toEqual([1, 2, 0]);
    expect(loose.heterogeneousEdgeFraction).toBe(1);
  });

  it('an edge between a footwear node and an upper-body node is a cross edge', () => {
    const labels = [5, 5, 5, 0, 0, 0];
    const g = graph([[0, 1, 2], [2, 3, 4, 5]], 6);
    const s = superclassSeparation(g, labels, { mixThreshold: 0.3 });
    expect(s.crossEdges).toBe(1);
    expect(s.crossEdgeFraction).toBe(1);
    expect(s.separated).toBe(false);
  });

  it('disconnected pure nodes are separated into components, with super-class purity 1', () => {
    const labels = [5, 7, 9, 0, 2, 4];
    const g = graph([[0, 1, 2], [3, 4, 5]], 6);
    const s = superclassSeparation(g, labels);
    expect(s).toMatchObject({ mixedNodes: 0, crossEdges: 0, mixedComponents: 0, separated: true, separatedComponents: true });
    expect(s.superPurity).toBe(1);
  });

  it('refuses a threshold outside [0, 0.5)', () => {
    expect(() => superclassSeparation(graph([[0]], 1), [0], { mixThreshold: 0.5 })).toThrow(/mixThreshold must be in \[0, 0.5\)/);
  });

  it('"from which layer on" is the start of the last run of trues', () => {
    expect(firstFromWhichAlways([false, true, false, true, true])).toBe(3);
    expect(firstFromWhichAlways([true, true])).toBe(0);
    expect(firstFromWhichAlways([true, false])).toBe(-1);
    expect(firstFromWhichAlways([])).toBe(-1);
  });
});
