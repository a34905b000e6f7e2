/**
 * A convtopo Mapper graph against the reference pipeline's (bench/mapper_reference.py --nodes), node by node and
 * edge by edge: a node is identified by its cover set (the index of its centre) and its DBSCAN label, and must have
 * exactly the reference's members; an edge by its two nodes. Used by the Mapper bench and the Mapper oracle test.
 */
export interface GraphNodes {
  nodes: { interval: number; cluster: number; members: ArrayLike<number> }[];
  /** Node positions, source < target or any order. */
  edges: { source: number; target: number }[];
}

export interface ReferenceGraph {
  eps: number;
  nodes: { cube: number; id: string; cluster: number; members: number[] }[];
  links: [number, number][];
}

export interface GraphComparison {
  equal: boolean;
  /** Nodes (ours, the reference's) whose members differ or that only one side has. */
  nodesDiffering: number;
  edgesDiffering: number;
  /** The first few differences, in words. */
  examples: string[];
}

export function compareGraphs(ours: GraphNodes, ref: ReferenceGraph): GraphComparison {
  const key = (interval: number, cluster: number): string => `${interval}/${cluster}`;
  const mine = new Map(ours.nodes.map((nd) => [key(nd.interval, nd.cluster), Array.from(nd.members).join(',')]));
  const theirs = new Map(ref.nodes.map((nd) => [key(nd.cube, nd.cluster), nd.members.join(',')]));
  const examples: string[] = [];
  let nodesDiffering = 0, edgesDiffering = 0;
  for (const k of new Set([...mine.keys(), ...theirs.keys()])) {
    const a = mine.get(k), b = theirs.get(k);
    if (a === b) continue;
    nodesDiffering++;
    if (examples.length < 6) {
      const size = (s: string | undefined): string => (s === undefined ? 'absent' : `${s.split(',').length} members`);
      examples.push(`node ${k} (interval/cluster): ours ${size(a)}, reference ${size(b)}`);
    }
  }
  const edgeKeys = (pairs: [string, string][]): Set<string> => new Set(pairs.map(([a, b]) => (a < b ? `${a}–${b}` : `${b}–${a}`)));
  const ourEdges = edgeKeys(ours.edges.map((e) => [
    key(ours.nodes[e.source].interval, ours.nodes[e.source].cluster), key(ours.nodes[e.target].interval, ours.nodes[e.target].cluster),
  ]));
  const refEdges = edgeKeys(ref.links.map(([a, b]) => [key(ref.nodes[a].cube, ref.nodes[a].cluster), key(ref.nodes[b].cube, ref.nodes[b].cluster)]));
  for (const e of ourEdges) if (!refEdges.has(e)) { edgesDiffering++; if (examples.length < 8) examples.push(`edge ${e} only in ours`); }
  for (const e of refEdges) if (!ourEdges.has(e)) { edgesDiffering++; if (examples.length < 8) examples.push(`edge ${e} only in the reference`); }
  return { equal: nodesDiffering === 0 && edgesDiffering === 0, nodesDiffering, edgesDiffering, examples };
}
