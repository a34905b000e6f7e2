/**
 * The Mapper graph as plain data: nodes are clusters, an edge joins two nodes sharing ≥ minIntersection points
 * (KeplerMapper's GraphNerve), plus connected components, class histograms and purity (method.md §6).
 */

export interface MapperNode {
  /** KeplerMapper-style id "cube{i}_cluster{j}": i the cover set's flat index, j the cluster within it. */
  id: string;
  /** Flat index of the cover set the cluster came from. */
  interval: number;
  /** Interval index per lens dimension. */
  cell: number[];
  cluster: number;
  /** Member point indices, ascending. */
  members: Int32Array;
  /** Mean lens value of the members, per lens dimension. */
  meanLens: number[];
  /** Count of members per class (index = label), when labels were given. */
  classCounts: Int32Array | null;
}

export interface MapperEdge {
  /** Node positions in `nodes`, source < target. */
  source: number;
  target: number;
  /** Number of shared points. */
  shared: number;
  /** shared / |union|. */
  jaccard: number;
}

export interface Purity {
  /** Per point: mean over the nodes containing it of the fraction of the node with the point's label; NaN if in no node. */
  points: Float64Array;
  /** Mean point purity over covered points (NaN if no point is covered). */
  graph: number;
  /** Number of points in at least one node. */
  covered: number;
}

/** Edges between nodes sharing at least minIntersection points, sorted by (source, target). */
export function nerveEdges(nodes: { members: ArrayLike<number> }[], nPoints: number, minIntersection = 1): MapperEdge[] {
  // Point → nodes (CSR), then count shared points per node pair seen together at some point.
  const count = new Int32Array(nPoints + 1);
  for (const nd of nodes) for (let a = 0; a < nd.members.length; a++) count[nd.members[a] + 1]++;
  for (let i = 0; i < nPoints; i++) count[i + 1] += count[i];
  const fill = count.slice(0, nPoints);
  const list = new Int32Array(count[nPoints]);
  nodes.forEach((nd, t) => {
    for (let a = 0; a < nd.members.length; a++) list[fill[nd.members[a]]++] = t;
  });
  const shared = new Map<number, number>();
  const N = nodes.length;
  for (let i = 0; i < nPoints; i++) {
    for (let a = count[i]; a < count[i + 1]; a++) {
      for (let b = a + 1; b < count[i + 1]; b++) {
        const s = Math.min(list[a], list[b]), t = Math.max(list[a], list[b]);
        const key = s * N + t;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const edges: MapperEdge[] = [];
  for (const [key, c] of shared) {
    if (c < minIntersection) continue;
    const source = Math.floor(key / N), target = key - source * N;
    const union = nodes[source].members.length + nodes[target].members.length - c;
    edges.push({ source, target, shared: c, jaccard: c / union });
  }
  return edges.sort((p, q) => p.source - q.source || p.target - q.target);
}

/** Component id per node (numbered by first node) and the number of components. */
export function components(nNodes: number, edges: MapperEdge[]): { component: Int32Array; count: number } {
  const parent = Int32Array.from({ length: nNodes }, (_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; }
    return a;
  };
  for (const e of edges) {
    const a = find(e.source), b = find(e.target);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const id = new Int32Array(nNodes).fill(-1);
  const component = new Int32Array(nNodes);
  let count = 0;
  for (let t = 0; t < nNodes; t++) {
    const r = find(t);
    if (id[r] < 0) id[r] = count++;
    component[t] = id[r];
  }
  return { component, count };
}

/** Members per class of one node. */
export function classHistogram(members: ArrayLike<number>, labels: ArrayLike<number>, nClasses: number): Int32Array {
  const h = new Int32Array(nClasses);
  for (let a = 0; a < members.length; a++) h[labels[members[a]]]++;
  return h;
}

/**
 * Point purity (ours, method.md §6): for each point, the mean over the nodes that contain it of the fraction of that
 * node's members sharing the point's label; graph purity: the mean over covered points.
 */
export function graphPurity(nodes: { members: ArrayLike<number> }[], labels: ArrayLike<number>): Purity {
  const n = labels.length;
  let nClasses = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(labels[i]) || labels[i] < 0) throw new RangeError(`labels must be integers ≥ 0 (label ${i} is ${labels[i]})`);
    nClasses = Math.max(nClasses, labels[i] + 1);
  }
  const sum = new Float64Array(n), seen = new Int32Array(n);
  for (const nd of nodes) {
    const h = classHistogram(nd.members, labels, nClasses);
    const size = nd.members.length;
    for (let a = 0; a < size; a++) {
      const i = nd.members[a];
      sum[i] += h[labels[i]] / size;
      seen[i]++;
    }
  }
  const points = new Float64Array(n);
  let total = 0, covered = 0;
  for (let i = 0; i < n; i++) {
    if (seen[i] === 0) { points[i] = NaN; continue; }
    points[i] = sum[i] / seen[i];
    total += points[i];
    covered++;
  }
  return { points, graph: covered > 0 ? total / covered : NaN, covered };
}
