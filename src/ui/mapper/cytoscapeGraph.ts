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
  /** Edges added in batches between frames (a graph too large to add in one task). */
  large: boolean;
  destroy(): void;
}

const MAX_SLICES = 16;
const EDGE_BATCH = 1500;

export function renderMapperGraph(container: HTMLElement, graph: MapperGraph, nClasses: number, options: MapperGraphOptions): MapperGraphHandle {
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
  if (!large) elements.push(...edgeElements);
  const pieStyle: Record<string, unknown> = { 'pie-size': '100%' };
  for (let k = 0; k < slices; k++) {
    pieStyle[`pie-${k + 1}-background-color`] = classColor(k);
    pieStyle[`pie-${k + 1}-background-size`] = `data(p${k})`;
  }
  const fg = getComputedStyle(container).getPropertyValue('--fg').trim() || '#222';
  const cy = cytoscape({
    container,
    elements,
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
    layout: preset || large
      ? ({ name: 'preset', fit: true, padding: 20 } as cytoscape.LayoutOptions)
      : ({ name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 6000, idealEdgeLength: () => 24, numIter: 600 } as cytoscape.LayoutOptions),
  });
  let destroyed = false;
  if (large) {
    let next = 0;
    const addBatch = () => {
      if (destroyed) return;
      cy.add(edgeElements.slice(next, next + EDGE_BATCH));
      next += EDGE_BATCH;
      if (next < edgeElements.length) requestAnimationFrame(addBatch);
      else apply();
    };
    requestAnimationFrame(addBatch);
  }
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
      destroyed = true;
      cy.destroy();
    },
  };
}
