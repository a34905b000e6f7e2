/**
 * Mapper graph purity across layers (method.md §6): per layer, the graph's class purity and super-class separation
 * (superclass.ts) measured against chance; across layers, the first layer from which a property holds at every
 * deeper layer. The reproduction reports these; the page plots the per-layer purity.
 */
import type { MapperGraph } from '../mapper/index';
import { chancePurity, firstFromWhichAlways, superclassSeparation, superLabels, type SuperclassSeparation, type SuperclassSpec } from './superclass';

/** (purity − chance) / (1 − chance): 0 at chance, 1 for pure nodes (NaN when chance is already 1). */
export function purityLift(purity: number, chance: number): number {
  return chance < 1 ? (purity - chance) / (1 - chance) : NaN;
}

/** One layer's Mapper graph and what it says; the super-class fields are superclassSeparation's (per-node majority aside). */
export interface MapperSummary extends Omit<SuperclassSeparation, 'nodeMajority'> {
  layer: number;
  seconds: number;
  nodes: number;
  edges: number;
  components: number;
  /** Nodes of the largest component / all nodes. */
  largestComponentShare: number;
  eps: number | null;
  /** Points in at least one node. */
  covered: number;
  /** Graph purity with the 10 classes. */
  purity: number;
  /** (purity − chance) / (1 − chance). */
  purityLift: number;
  superPurityLift: number;
  /** The graph: per node mean lens, size, class counts, member image indices; edges [source, target]; component per node. */
  graph: { lens: number[]; size: number[]; classCounts: number[][]; edges: [number, number][]; components: number[]; members: number[][] };
}

/** Chance levels of class and super-class purity for these labels. */
export function purityChance(labels: ArrayLike<number>, spec: SuperclassSpec): { chance: number; chanceSuper: number } {
  return { chance: chancePurity(labels), chanceSuper: chancePurity(superLabels(labels, spec)) };
}

/** Summarise one layer's graph (`seconds`: how long it took to build). */
export function mapperLayerSummary(
  layer: number,
  g: MapperGraph,
  labels: ArrayLike<number>,
  o: { spec: SuperclassSpec; mixThreshold: number; chance: number; chanceSuper: number; seconds: number },
): MapperSummary {
  const sep = superclassSeparation(g, labels, { spec: o.spec, mixThreshold: o.mixThreshold });
  const compNodes = new Array(g.nComponents).fill(0);
  for (let q = 0; q < g.nodes.length; q++) compNodes[g.components[q]]++;
  const purity = g.purity?.graph ?? NaN;
  return {
    layer,
    seconds: o.seconds,
    nodes: g.nodes.length,
    edges: g.edges.length,
    components: g.nComponents,
    largestComponentShare: g.nodes.length > 0 ? Math.max(...compNodes) / g.nodes.length : 0,
    eps: g.eps,
    covered: g.purity?.covered ?? 0,
    purity,
    purityLift: purityLift(purity, o.chance),
    superPurity: sep.superPurity,
    superPurityLift: purityLift(sep.superPurity, o.chanceSuper),
    mixedNodes: sep.mixedNodes,
    pointsInMixedNodes: sep.pointsInMixedNodes,
    crossEdges: sep.crossEdges,
    crossEdgeFraction: sep.crossEdgeFraction,
    heterogeneousEdgeFraction: sep.heterogeneousEdgeFraction,
    mixedComponents: sep.mixedComponents,
    separated: sep.separated,
    separatedComponents: sep.separatedComponents,
    graph: {
      lens: g.nodes.map((nd) => nd.meanLens[0]),
      size: g.nodes.map((nd) => nd.members.length),
      classCounts: g.nodes.map((nd) => Array.from(nd.classCounts ?? [])),
      edges: g.edges.map((e) => [e.source, e.target]),
      components: Array.from(g.components),
      members: g.nodes.map((nd) => Array.from(nd.members)),
    },
  };
}

export interface PurityAcrossLayers {
  /** Layer index from which footwear and upper-body garments stay separated (branches / components); null = never. */
  separatedFromLayer: number | null;
  separatedComponentsFromLayer: number | null;
  /** Layer index from which the class / super-class purity lift stays ≥ liftThreshold; null = never. */
  classLiftFromLayer: number | null;
  superLiftFromLayer: number | null;
}

/** From which layer on each property holds, over the summaries in layer order. */
export function purityAcrossLayers(layers: MapperSummary[], liftThreshold: number): PurityAcrossLayers {
  const fromLayer = (flags: boolean[]) => {
    const i = firstFromWhichAlways(flags);
    return i >= 0 ? layers[i].layer : null;
  };
  return {
    separatedFromLayer: fromLayer(layers.map((m) => m.separated)),
    separatedComponentsFromLayer: fromLayer(layers.map((m) => m.separatedComponents)),
    classLiftFromLayer: fromLayer(layers.map((m) => m.purityLift >= liftThreshold)),
    superLiftFromLayer: fromLayer(layers.map((m) => m.superPurityLift >= liftThreshold)),
  };
}
