import type { MapperGraph } from '../../mapper/index';

/** Beyond these a force layout on the main thread takes longer than a frame budget allows, and edges go in batches. */
const LARGE_NODES = 300;
const LARGE_EDGES = 3000;

/** Kept apart from the cytoscape renderer so the view can ask without loading cytoscape. */
export function isLargeGraph(graph: Pick<MapperGraph, 'nodes' | 'edges'>): boolean {
  return graph.nodes.length > LARGE_NODES || graph.edges.length > LARGE_EDGES;
}
