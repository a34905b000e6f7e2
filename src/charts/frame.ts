import { select, type Selection } from 'd3';
import { cssVar } from './theme';

/** Every renderer returns this handle (d3 / Observable Plot style): plain data in, DOM out. */
export interface ChartHandle<D, O> {
  /** Redraws with new data; options given here are merged over the current ones. */
  update(data: D, options?: Partial<O>): void;
  /** Removes everything the renderer added to its container. */
  destroy(): void;
  /** The root <svg> (for export). */
  svg(): SVGSVGElement;
}

export type SvgSel = Selection<SVGSVGElement, unknown, null, undefined>;
export type DivSel = Selection<HTMLDivElement, unknown, null, undefined>;

export interface Frame {
  wrapper: DivSel;
  svg: SvgSel;
  tooltip: Tooltip;
  destroy(): void;
}

export interface Tooltip {
  /** Shows one line of text per entry next to the pointer of `event`. */
  show(lines: string[], event: MouseEvent): void;
  hide(): void;
  node: HTMLDivElement;
}

let nextId = 0;
/** A document-unique id for <defs> (clip paths, patterns, gradients), since several charts share one page. */
export function uid(prefix: string): string {
  return `${prefix}-${++nextId}`;
}

/** Fails with a message naming the parameter and its allowed range (house rule for bad parameters). */
export function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
}

/**
 * A positioned wrapper <div> holding the root <svg> and a tooltip <div>. The wrapper (not the caller's element) is
 * made `position: relative` so we never restyle the container; destroy() removes the wrapper and nothing else.
 */
export function createFrame(container: HTMLElement, testId: string): Frame {
  const wrapper = select(container)
    .append('div')
    .attr('class', 'chart-frame')
    .style('position', 'relative')
    .style('display', 'inline-block') as unknown as DivSel;
  const svg = wrapper
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('data-testid', testId)
    .attr('role', 'img')
    .style('display', 'block')
    .style('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif')
    .style('font-size', '11px')
    .style('color', cssVar('fg')) as unknown as SvgSel;
  const tooltip = createTooltip(wrapper);
  return { wrapper, svg, tooltip, destroy: () => wrapper.remove() };
}

/**
 * Whether going from `prev` to `next` options needs a redraw: any change except to callbacks, which are read when an
 * event fires. Lets a React parent pass fresh closures on every render without resetting zoom or losing hover.
 */
export function optionsChanged<O extends object>(prev: O, next: O): boolean {
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]) as Set<keyof O>;
  for (const k of keys) {
    const a = prev[k], b = next[k];
    if (typeof a === 'function' || typeof b === 'function') continue;
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length || a.some((v, i) => v !== b[i])) return true;
    } else if (a !== b) return true;
  }
  return false;
}

/** Sets the svg's size; the viewBox keeps it crisp if the page scales it with CSS. */
export function sizeSvg(svg: SvgSel, width: number, height: number): void {
  svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
}

function createTooltip(wrapper: DivSel): Tooltip {
  const tip = wrapper
    .append('div')
    .attr('class', 'chart-tooltip')
    .attr('role', 'tooltip')
    .style('position', 'absolute')
    .style('pointer-events', 'none')
    .style('display', 'none')
    .style('padding', '4px 6px')
    .style('border-radius', '4px')
    .style('border', `1px solid ${cssVar('border')}`)
    .style('background', cssVar('bg'))
    .style('color', cssVar('fg'))
    .style('font-size', '12px')
    .style('line-height', '1.35')
    .style('white-space', 'nowrap')
    .style('z-index', '10');
  const node = tip.node() as HTMLDivElement;
  return {
    node,
    show(lines, event) {
      // textContent per line: labels come from user files, never parse them as HTML.
      tip.selectAll('div').remove();
      for (const line of lines) tip.append('div').text(line);
      const box = (wrapper.node() as HTMLDivElement).getBoundingClientRect();
      const x = (event.clientX ?? 0) - box.left + 12;
      const y = (event.clientY ?? 0) - box.top + 12;
      tip.style('left', `${x}px`).style('top', `${y}px`).style('display', 'block');
    },
    hide() {
      tip.style('display', 'none');
    },
  };
}

/**
 * The update() of every renderer's handle: merge the new options into the current ones, store both through `set`,
 * and redraw only when the data object or a non-callback option changed (see optionsChanged).
 */
export function redrawOnChange<D, O extends object>(
  get: () => { data: D; opts: O },
  set: (data: D, opts: O) => void,
  draw: () => void,
): (nextData: D, nextOptions?: Partial<O>) => void {
  return (nextData, nextOptions) => {
    const { data, opts } = get();
    const next = nextOptions ? { ...opts, ...nextOptions } : opts;
    const redraw = nextData !== data || optionsChanged(opts, next);
    set(nextData, next);
    if (redraw) draw();
  };
}
