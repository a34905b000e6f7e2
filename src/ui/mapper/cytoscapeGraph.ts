/**
 * The Mapper graph drawn with cytoscape: node size by member count, each node a pie chart of its class labels
 * (cytoscape's built-in pie style, up to 16 slices), edge width by Jaccard weight. A renderer in the d3 sense:
 * data in, DOM node, handle out. Hover and tap callbacks receive node ids.
 */
import cytoscape from 'cytoscape';
import type { MapperGraph } from '../../mapper/index';
import { classColor } from '../../charts/theme';
import { isLargeGraph } from './largeGraph';

export interface MapperGraphOptions {
  onHover?(nodeId: string | null, position: { x: number; y: number }): void;
  onSelect?(nodeId: string | null): void;
  /** Classes to emphasise (nodes without them fade); empty = none. */
  highlightClasses?: number[];
  selected?: string;
}

export interface MapperGraphHandle {
  cy: cytoscape.Core;
  update(options: MapperGraphOptions): void;
  png(): Blob;
  /** A graph too large for a force layout here (laid out by lens interval when it has no layout of its own). */
  large: boolean;
  destroy(): void;
}

const MAX_SLICES = 16;
const EDGE_BATCH = 1500;

/**
 * Nodes added per task while the graph is built: each add styles its nodes and the next frame draws each new node
 * into cytoscape's texture cache (the costly part of a frame; already cached nodes are only copied). Small batches
 * keep every frame short; a large graph still lands in about 30 frames.
 */
const nodeBatch = (n: number) => Math.max(8, Math.ceil(n / 30));

/** Zoom and pan that fit positioned nodes (centre ± half diameter) into a w × h viewport, as cy.fit would. */
function fittedViewport(elements: cytoscape.ElementDefinition[], w: number, h: number, padding: number): { zoom: number; pan: { x: number; y: number } } {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const e of elements) {
    const p = e.position;
    if (!p) continue;
    const r = (e.data.diameter as number) / 2 + 1;
    [x1, y1, x2, y2] = [Math.min(x1, p.x - r), Math.min(y1, p.y - r), Math.max(x2, p.x + r), Math.max(y2, p.y + r)];
  }
  if (!Number.isFinite(x1)) return { zoom: 1, pan: { x: 0, y: 0 } };
  const zoom = Math.max(1e-50, Math.min(1e50, (w - 2 * padding) / Math.max(1e-9, x2 - x1), (h - 2 * padding) / Math.max(1e-9, y2 - y1)));
  return { zoom, pan: { x: (w - zoom * (x1 + x2)) / 2, y: (h - zoom * (y1 + y2)) / 2 } };
}

/** Resolves in a task of its own after the next frame has been drawn. */
const afterNextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * Draws the graph in a sequence of short main-thread tasks rather than one: on a busy machine, cytoscape's start-up,
 * styling every node's pie and the first frame of a whole graph took over a second in a single task. The renderer
 * starts empty, nodes are added a batch per task (each batch drawn in the frame between), then edges, then the
 * view is fitted. `isLive()` false stops the build (the view went away); the promise then resolves to null.
 */
export async function renderMapperGraph(
  container: HTMLElement,
  graph: MapperGraph,
  nClasses: number,
  options: MapperGraphOptions,
  isLive: () => boolean = () => true,
): Promise<MapperGraphHandle | null> {
  const slices = Math.min(nClasses, MAX_SLICES);
  const maxSize = Math.max(1, ...graph.nodes.map((n) => n.members.length));
  const laidOut = graph.layout?.radius.length === graph.nodes.length ? graph.layout.radius : null;
  const elements: cytoscape.ElementDefinition[] = graph.nodes.map((n, i) => {
    // With the worker's layout, the discs it kept apart; otherwise sized relative to the largest node.
    const diameter = laidOut ? 2 * laidOut[i] : 12 + 38 * Math.sqrt(n.members.length / maxSize);
    const data: Record<string, unknown> = { id: n.id, size: n.members.length, diameter };
    for (let k = 0; k < slices; k++) data[`p${k}`] = n.classCounts ? (100 * n.classCounts[k]) / n.members.length : 0;
    return { group: 'nodes', data };
  });
  const edgeElements: cytoscape.ElementDefinition[] = graph.edges.map((e) => {
    const s = graph.nodes[e.source].id;
    const t = graph.nodes[e.target].id;
    return { group: 'edges', data: { id: `${s}--${t}`, source: s, target: t, shared: e.shared, jaccard: e.jaccard } };
  });
  // Positions: the worker's layout (src/mapper/layout.ts) when the graph carries one, so the picture is computed once
  // per graph, off this thread, and is the same on every return to the view and in a page opened from a link.
  // Without one (a graph from elsewhere), a large graph would block the page for seconds in cose: it is laid out by
  // lens (interval across, clusters of an interval stacked). A large graph's edges are added in batches between frames.
  const large = isLargeGraph(graph);
  const preset = graph.layout !== undefined && graph.layout.x.length === graph.nodes.length;
  if (preset) {
    const { x, y } = graph.layout!;
    graph.nodes.forEach((_, i) => void (elements[i].position = { x: x[i], y: y[i] }));
  } else if (large) {
    const stacked = new Map<number, number>();
    graph.nodes.forEach((n, i) => {
      const row = stacked.get(n.interval) ?? 0;
      stacked.set(n.interval, row + 1);
      elements[i].position = { x: 60 * n.interval, y: 60 * row };
    });
  }
  const pieStyle: Record<string, unknown> = { 'pie-size': '100%' };
  for (let k = 0; k < slices; k++) {
    pieStyle[`pie-${k + 1}-background-color`] = classColor(k);
    pieStyle[`pie-${k + 1}-background-size`] = `data(p${k})`;
  }
  const fg = getComputedStyle(container).getPropertyValue('--fg').trim() || '#222';
  await afterNextFrame();
  if (!isLive()) return null;
  const cy = cytoscape({
    container,
    elements: [],
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: { width: 'data(diameter)', height: 'data(diameter)', 'background-color': '#ccc', 'border-width': 1, 'border-color': fg, ...pieStyle } as cytoscape.Css.Node,
      },
      { selector: 'edge', style: { width: 'mapData(jaccard, 0, 1, 1, 6)', 'line-color': '#999', opacity: 0.7, 'curve-style': 'haystack' } as cytoscape.Css.Edge },
      // Selected: a thick ring and a soft halo, unmistakable at any zoom and on either theme.
      { selector: 'node:selected', style: { 'border-width': 5, 'border-color': '#E69F00', 'underlay-color': '#E69F00', 'underlay-padding': 9, 'underlay-opacity': 0.4, 'underlay-shape': 'ellipse' } as cytoscape.Css.Node },
      { selector: 'node.faded', style: { opacity: 0.15 } },
      { selector: 'edge.faded', style: { opacity: 0.08 } },
    ],
  });
  const stop = () => {
    if (isLive()) return false;
    cy.destroy();
    return true;
  };
  // With positions known, the viewport is set before any node lands, so the batches appear in their final place.
  if (preset || large) cy.viewport(fittedViewport(elements, cy.width(), cy.height(), 20));
  const batch = nodeBatch(elements.length);
  for (let next = 0; next < elements.length; next += batch) {
    await afterNextFrame();
    if (stop()) return null;
    cy.add(elements.slice(next, next + batch));
  }
  for (let next = 0; next < edgeElements.length; next += EDGE_BATCH) {
    await afterNextFrame();
    if (stop()) return null;
    cy.add(edgeElements.slice(next, next + EDGE_BATCH));
  }
  await afterNextFrame();
  if (stop()) return null;
  if (preset || large) cy.fit(undefined, 20);
  // A graph from elsewhere, small enough for a force layout here.
  else cy.layout({ name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 6000, idealEdgeLength: () => 24, numIter: 600, fit: true, padding: 20 } as cytoscape.LayoutOptions).run();
  let current = options;
  cy.on('mouseover', 'node', (e) => current.onHover?.(e.target.id(), e.renderedPosition ?? { x: 0, y: 0 }));
  cy.on('mouseout', 'node', (e) => current.onHover?.(null, e.renderedPosition ?? { x: 0, y: 0 }));
  cy.on('tap', 'node', (e) => current.onSelect?.(e.target.id()));
  cy.on('tap', (e) => {
    if (e.target === cy) current.onSelect?.(null);
  });

  const apply = () => {
    cy.batch(() => {
      cy.elements().removeClass('faded');
      const hl = current.highlightClasses ?? [];
      if (hl.length > 0) {
        const keep = cy.nodes().filter((n) => hl.some((k) => (n.data(`p${k}`) as number) > 0));
        cy.nodes().difference(keep).addClass('faded');
        cy.edges().filter((e) => e.source().hasClass('faded') || e.target().hasClass('faded')).addClass('faded');
      }
      cy.nodes(':selected').unselect();
      if (current.selected) cy.getElementById(current.selected).select();
    });
  };
  apply();
  return {
    cy,
    update(o) {
      current = { ...current, ...o };
      apply();
    },
    png: () => cy.png({ output: 'blob', full: true, scale: 2, bg: getComputedStyle(document.body).backgroundColor || '#fff' }) as unknown as Blob,
    large,
    destroy: () => {
      cy.destroy();
    },
  };
}
