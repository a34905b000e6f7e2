/**
 * Super-classes in a Mapper graph: the measurable form of the paper's observation that deep layers separate
 * super-classes (CIFAR-10: vehicles vs animals) before classes. Fashion-MNIST's analogue (method.md §6):
 * footwear (Sandal 5, Sneaker 7, Ankle boot 9), upper-body garments (T-shirt/top 0, Pullover 2, Coat 4, Shirt 6) and
 * the rest (Trouser 1, Dress 3, Bag 8).
 *
 * The criterion (documented in docs/reproduction.md):
 * - super-class purity: the graph purity of method.md §6 with every label replaced by its super-class;
 * - a node MIXES footwear and upper-body garments when each group is more than `mixThreshold` (10 %) of its members;
 * - a CROSS edge joins a node whose majority super-class is footwear to one whose majority is upper-body;
 * - footwear and upper-body garments are SEPARATED at a layer when no node mixes them and no edge is a cross edge
 *   (they may still meet through "rest" nodes: different branches, not necessarily different components);
 * - they are separated into COMPONENTS when, in addition, no connected component holds more than `mixThreshold` of
 *   its members from each of the two groups.
 * Pure: plain Mapper graph data in, plain numbers out.
 */
import { graphPurity } from '../mapper/graph';

/** A grouping of class indices into named super-classes. */
export interface SuperclassSpec {
  names: string[];
  /** Class index → super-class index. */
  ofClass: number[];
  /** The two super-classes whose separation is tested (indices into `names`). */
  pair: [number, number];
}

/** Fashion-MNIST: 0 upper-body garments, 1 footwear, 2 the rest. */
export const FASHION_MNIST_SUPERCLASSES: SuperclassSpec = {
  names: ['upper-body garments', 'footwear', 'rest (trouser, dress, bag)'],
  // T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot
  ofClass: [0, 2, 0, 2, 0, 1, 0, 1, 2, 1],
  pair: [1, 0],
};

/** CIFAR-10 (the paper's dataset): 0 vehicles (airplane, automobile, ship, truck), 1 animals. */
export const CIFAR10_SUPERCLASSES: SuperclassSpec = {
  names: ['vehicles', 'animals'],
  // airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck
  ofClass: [0, 0, 1, 1, 1, 1, 1, 1, 0, 0],
  pair: [0, 1],
};

const FASHION_NAMES = ['t-shirt/top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot'];
const CIFAR_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** The super-class grouping for a dataset's class names (Fashion-MNIST or CIFAR-10), or null if unknown. */
export function superclassesFor(classNames: string[]): SuperclassSpec | null {
  const norm = classNames.map((n) => n.trim().toLowerCase());
  const same = (ref: string[]) => norm.length === ref.length && norm.every((n, i) => n === ref[i]);
  if (same(FASHION_NAMES)) return FASHION_MNIST_SUPERCLASSES;
  if (same(CIFAR_NAMES)) return CIFAR10_SUPERCLASSES;
  return null;
}

/** The nodes and edges of a Mapper graph, as far as this analysis needs them. */
export interface GraphLike {
  nodes: { members: ArrayLike<number> }[];
  edges: { source: number; target: number }[];
  components: ArrayLike<number>;
  nComponents: number;
}

export interface SuperclassSeparation {
  /** Graph purity with super-class labels (NaN when no point is in a node). */
  superPurity: number;
  /** Nodes whose members are more than mixThreshold from each group of the pair. */
  mixedNodes: number;
  /** Points of the pair's two groups that sit in at least one mixed node. */
  pointsInMixedNodes: number;
  /** Edges joining a node of majority pair[0] to a node of majority pair[1]. */
  crossEdges: number;
  /** crossEdges / edges (0 for a graph without edges). */
  crossEdgeFraction: number;
  /** Fraction of edges whose two nodes have different majority super-classes (any super-classes). */
  heterogeneousEdgeFraction: number;
  /** Components whose members are more than mixThreshold from each group of the pair. */
  mixedComponents: number;
  /** No mixed node and no cross edge. */
  separated: boolean;
  /** separated, and no mixed component. */
  separatedComponents: boolean;
  /** Majority super-class per node (-1 for an empty node). */
  nodeMajority: number[];
}

function checkSpec(spec: SuperclassSpec, labels: ArrayLike<number>): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const s = spec.ofClass[labels[i]];
    if (s === undefined) throw new RangeError(`label ${labels[i]} of point ${i} has no super-class (classes 0…${spec.ofClass.length - 1})`);
    out[i] = s;
  }
  return out;
}

/** Labels mapped to super-class indices. */
export function superLabels(labels: ArrayLike<number>, spec: SuperclassSpec = FASHION_MNIST_SUPERCLASSES): Int32Array {
  return checkSpec(spec, labels);
}

/** Expected graph purity when every node's members are a random draw: Σ_c p_c² over the label frequencies. */
export function chancePurity(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  let s = 0;
  for (const c of counts.values()) s += (c / labels.length) ** 2;
  return s;
}

function histogram(members: ArrayLike<number>, sup: Int32Array, k: number): Int32Array {
  const h = new Int32Array(k);
  for (let a = 0; a < members.length; a++) h[sup[members[a]]]++;
  return h;
}

function majority(h: Int32Array): number {
  let best = -1, arg = -1;
  for (let c = 0; c < h.length; c++) if (h[c] > best) { best = h[c]; arg = c; }
  return best > 0 ? arg : -1;
}

/** Super-class separation of one Mapper graph (see the module comment). mixThreshold in [0, 0.5). */
export function superclassSeparation(
  graph: GraphLike,
  labels: ArrayLike<number>,
  options: { spec?: SuperclassSpec; mixThreshold?: number } = {},
): SuperclassSeparation {
  const spec = options.spec ?? FASHION_MNIST_SUPERCLASSES;
  const mix = options.mixThreshold ?? 0.1;
  if (!(mix >= 0 && mix < 0.5)) throw new RangeError(`mixThreshold must be in [0, 0.5) (got ${mix})`);
  const k = spec.names.length;
  const [a, b] = spec.pair;
  const sup = checkSpec(spec, labels);
  const mixes = (h: Int32Array, size: number) => size > 0 && h[a] / size > mix && h[b] / size > mix;

  const nodeMajority: number[] = [];
  let mixedNodes = 0;
  const inMixed = new Uint8Array(labels.length);
  graph.nodes.forEach((nd) => {
    const h = histogram(nd.members, sup, k);
    nodeMajority.push(majority(h));
    if (mixes(h, nd.members.length)) {
      mixedNodes++;
      for (let q = 0; q < nd.members.length; q++) inMixed[nd.members[q]] = 1;
    }
  });
  // A component's members are the union of its nodes' members: a point in two nodes of one component counts once.
  const compHist = Array.from({ length: graph.nComponents }, () => new Int32Array(k));
  const compSize = new Float64Array(graph.nComponents);
  const mark = new Int32Array(labels.length).fill(-1);
  const byComp: number[][] = Array.from({ length: graph.nComponents }, () => []);
  graph.nodes.forEach((_, t) => byComp[graph.components[t]].push(t));
  byComp.forEach((ts, c) => {
    for (const t of ts) {
      const m = graph.nodes[t].members;
      for (let q = 0; q < m.length; q++) {
        if (mark[m[q]] === c) continue;
        mark[m[q]] = c;
        compHist[c][sup[m[q]]]++;
        compSize[c]++;
      }
    }
  });

  let crossEdges = 0, hetero = 0;
  for (const e of graph.edges) {
    const ms = nodeMajority[e.source], mt = nodeMajority[e.target];
    if (ms !== mt) hetero++;
    if ((ms === a && mt === b) || (ms === b && mt === a)) crossEdges++;
  }
  let mixedComponents = 0;
  for (let c = 0; c < graph.nComponents; c++) if (mixes(compHist[c], compSize[c])) mixedComponents++;
  let pointsInMixedNodes = 0;
  for (let i = 0; i < labels.length; i++) if (inMixed[i] && (sup[i] === a || sup[i] === b)) pointsInMixedNodes++;

  const purity = graphPurity(graph.nodes, sup).graph;
  const nEdges = graph.edges.length;
  const separated = mixedNodes === 0 && crossEdges === 0;
  return {
    superPurity: purity,
    mixedNodes,
    pointsInMixedNodes,
    crossEdges,
    crossEdgeFraction: nEdges > 0 ? crossEdges / nEdges : 0,
    heterogeneousEdgeFraction: nEdges > 0 ? hetero / nEdges : 0,
    mixedComponents,
    separated,
    separatedComponents: separated && mixedComponents === 0,
    nodeMajority,
  };
}

/**
 * The first layer position from which a property holds at every deeper layer ("separates at layer L and stays
 * separated"); -1 when it does not hold at the last layer.
 */
export function firstFromWhichAlways(flags: boolean[]): number {
  let first = -1;
  for (let i = flags.length - 1; i >= 0 && flags[i]; i--) first = i;
  return first;
}
