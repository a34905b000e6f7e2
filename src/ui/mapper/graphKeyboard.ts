/**
 * A keyboard path through the cytoscape Mapper graph (a canvas, so nothing inside it can take focus): the container
 * joins the tab order, the arrow keys move a cursor to the nearest node in that direction, Enter selects the node
 * under the cursor (as a click does), Escape clears. What the cursor is on is said through a live region.
 */
import type cytoscape from 'cytoscape';

export interface GraphKeyboardOptions {
  /** The node in words, for the live region. */
  describe(id: string): string;
  /** The cursor moved (null: it left the graph); `pos` is the node's rendered position in the container. */
  onCursor?(id: string | null, pos: { x: number; y: number }): void;
  onSelect(id: string | null): void;
}

const DIRS: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

/**
 * The node nearest to `from` in direction `d`, preferring nodes within 45° of it (else the nearest further that
 * way, so no node is left unreachable); null when no node lies further that way.
 */
export function nextInDirection(from: { x: number; y: number }, d: [number, number], others: { id: string; x: number; y: number }[]): string | null {
  let best: string | null = null, bestScore = Infinity;
  for (const o of others) {
    const vx = o.x - from.x, vy = o.y - from.y;
    const along = vx * d[0] + vy * d[1];
    if (along <= 1e-9) continue;
    const across = Math.abs(vx * d[1] - vy * d[0]);
    // Off-axis distance counts double, and beyond 45° off the direction much more, so ↓ goes down, not far sideways.
    const score = along + 2 * across + (across > along ? 1e6 : 0);
    if (score < bestScore) {
      bestScore = score;
      best = o.id;
    }
  }
  return best;
}

export function attachGraphKeyboard(container: HTMLElement, cy: cytoscape.Core, options: GraphKeyboardOptions): () => void {
  const live = document.createElement('div');
  live.className = 'sr-only';
  live.setAttribute('aria-live', 'polite');
  container.after(live);
  container.tabIndex = 0;
  cy.style().selector('node.kbd-cursor').style({ 'outline-width': 3, 'outline-color': '#0072B2', 'outline-offset': 3, 'outline-style': 'dashed' } as never).update();
  let cursor: string | null = null;

  const move = (id: string | null) => {
    cy.nodes('.kbd-cursor').removeClass('kbd-cursor');
    cursor = id;
    if (!id) {
      options.onCursor?.(null, { x: 0, y: 0 });
      return;
    }
    const n = cy.getElementById(id) as cytoscape.NodeSingular;
    n.addClass('kbd-cursor');
    // Keep the cursor on screen: pan (not zoom) when it leaves the viewport.
    const r = n.renderedPosition();
    if (r.x < 0 || r.y < 0 || r.x > cy.width() || r.y > cy.height()) cy.center(n);
    options.onCursor?.(id, n.renderedPosition());
    live.textContent = `${options.describe(id)}. Enter opens its members.`;
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const nodes = cy.nodes();
    if (nodes.length === 0) return;
    const dir = DIRS[e.key];
    if (dir) {
      const start = () => {
        // Start from the selected node, else the largest one.
        const sel = cy.nodes(':selected');
        if (sel.length) return sel[0].id();
        return nodes.max((n) => n.data('size') as number).ele.id();
      };
      if (!cursor || cy.getElementById(cursor).empty()) move(start());
      else {
        const from = (cy.getElementById(cursor) as cytoscape.NodeSingular).position();
        const others = nodes.filter((n) => n.id() !== cursor).map((n) => ({ id: n.id(), ...(n as cytoscape.NodeSingular).position() }));
        const next = nextInDirection(from, dir, others);
        if (next) move(next);
        else live.textContent = `No node further ${e.key.replace('Arrow', '').toLowerCase()}. ${options.describe(cursor)}`;
      }
    } else if ((e.key === 'Enter' || e.key === ' ') && cursor) {
      options.onSelect(cursor);
      live.textContent = `Selected: ${options.describe(cursor)}`;
    } else if (e.key === 'Escape') {
      move(null);
      options.onSelect(null);
    } else return;
    e.preventDefault();
  };
  const onBlur = () => move(null);
  container.addEventListener('keydown', onKey);
  container.addEventListener('blur', onBlur);
  return () => {
    container.removeEventListener('keydown', onKey);
    container.removeEventListener('blur', onBlur);
    live.remove();
  };
}
