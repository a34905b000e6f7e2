/**
 * Node positions for drawing a Mapper graph, computed once per graph (in the Mapper worker, off the page's main
 * thread) and deterministic for a graph and a seed, so that returning to the view or opening a copied link shows
 * the same picture: the page hands them to cytoscape as preset positions.
 *
 * Each connected component gets its own force layout (d3-force: links pull, nodes repel, discs do not overlap),
 * run for a fixed number of ticks from a seeded random start (and d3's random source seeded too); then the
 * components are packed side by side, largest first, in rows (shelves) about as wide as the total is tall, each in
 * its own box, so no two components overlap.
 */
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import { mulberry32 } from '../random';
import type { MapperEdge, MapperNode } from './graph';

/** Positions by node order (layout.x[t], layout.y[t] for graph.nodes[t]), in px-like units, top-left near 0. */
export interface MapperLayout {
  x: Float64Array;
  y: Float64Array;
  /** Disc radius used for each node (grows with the square root of its size), same order. */
  radius: Float64Array;
  seed: number;
}

export interface LayoutOptions {
  /** Seed of the force layout's random source. Default 1. */
  seed?: number;
  /** Ticks per component. Default 300. */
  ticks?: number;
}

/** Radius of a node's disc: 6 px for one member, growing with √members, at most 30. */
export function nodeRadius(members: number): number {
  return Math.min(30, 4 + 2 * Math.sqrt(members));
}

const GAP = 40;

export function layoutMapperGraph(
  graph: { nodes: Pick<MapperNode, 'members'>[]; edges: Pick<MapperEdge, 'source' | 'target'>[]; components: Int32Array; nComponents: number },
  options: LayoutOptions = {},
): MapperLayout {
  const seed = options.seed ?? 1;
  const ticks = options.ticks ?? 300;
  const n = graph.nodes.length;
  const x = new Float64Array(n), y = new Float64Array(n);
  const radius = Float64Array.from(graph.nodes, (nd) => nodeRadius(nd.members.length));
  // Nodes and edges of each component, in node order.
  const members: number[][] = Array.from({ length: graph.nComponents }, () => []);
  for (let t = 0; t < n; t++) members[graph.components[t]].push(t);
  const edgesOf: [number, number][][] = Array.from({ length: graph.nComponents }, () => []);
  for (const e of graph.edges) edgesOf[graph.components[e.source]].push([e.source, e.target]);

  // 1. One force layout per component, then its bounding box (discs included).
  const boxes = members.map((ts, c) => {
    const local = new Map(ts.map((t, i) => [t, i]));
    // Seeded start in a disc about as large as the settled component (d3's own start ignores the seed).
    const rand = mulberry32((seed * 2654435761 + c) >>> 0);
    const spread = 30 * Math.sqrt(ts.length);
    const sim: SimulationNodeDatum[] = ts.map(() => ({ x: spread * (rand() - 0.5), y: spread * (rand() - 0.5) }));
    if (ts.length > 1) {
      const simulation = forceSimulation(sim)
        .randomSource(rand)
        .force('link', forceLink(edgesOf[c].map(([s, t]) => ({ source: local.get(s)!, target: local.get(t)! }))).distance((l) => {
          const a = ts[(l.source as SimulationNodeDatum).index!], b = ts[(l.target as SimulationNodeDatum).index!];
          return radius[a] + radius[b] + 20;
        }))
        .force('charge', forceManyBody().strength(-60))
        .force('collide', forceCollide<SimulationNodeDatum>((d) => radius[ts[d.index!]] + 2))
        .force('x', forceX(0).strength(0.05))
        .force('y', forceY(0).strength(0.05))
        .stop();
      simulation.tick(ticks);
    } else {
      sim[0].x = 0;
      sim[0].y = 0;
    }
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ts.forEach((t, i) => {
      const px = sim[i].x!, py = sim[i].y!;
      x[t] = px;
      y[t] = py;
      x0 = Math.min(x0, px - radius[t]); x1 = Math.max(x1, px + radius[t]);
      y0 = Math.min(y0, py - radius[t]); y1 = Math.max(y1, py + radius[t]);
    });
    return { c, x0, y0, w: x1 - x0, h: y1 - y0 };
  });

  // 2. Shelf packing, largest component (most nodes, then lowest id) first.
  const order = [...boxes].sort((a, b) => members[b.c].length - members[a.c].length || a.c - b.c);
  const area = boxes.reduce((s, b) => s + (b.w + GAP) * (b.h + GAP), 0);
  const rowWidth = Math.max(Math.sqrt(area) * 1.5, ...boxes.map((b) => b.w));
  let cx = 0, cy = 0, rowHeight = 0;
  for (const b of order) {
    if (cx > 0 && cx + b.w > rowWidth) { cx = 0; cy += rowHeight + GAP; rowHeight = 0; }
    for (const t of members[b.c]) { x[t] += cx - b.x0; y[t] += cy - b.y0; }
    cx += b.w + GAP;
    rowHeight = Math.max(rowHeight, b.h);
  }
  return { x, y, radius, seed };
}
