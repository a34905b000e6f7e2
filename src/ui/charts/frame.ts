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
  /**
   * Names the chart for assistive technology: `label` (what it shows, for which layer) becomes the svg's accessible
   * name, `summary` (the key numbers, in words) its description, kept in a visually hidden element beside it.
   */
  describe(label: string, summary: string): void;
  /** Says `text` through a polite live region (what the keyboard cursor is on). */
  announce(text: string): void;
  destroy(): void;
}

/** Options every renderer accepts for its accessible name (e.g. "Persistence diagram of layer 3, conv03"). */
export interface A11yOptions {
  ariaLabel?: string;
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
  const descId = uid('chart-desc');
  // Outside the svg, so exports carry the name (aria-label) but not the page's hidden helpers.
  const desc = wrapper.append('div').attr('class', 'sr-only').attr('id', descId);
  const live = wrapper.append('div').attr('class', 'sr-only').attr('aria-live', 'polite');
  svg.attr('aria-describedby', descId);
  return {
    wrapper,
    svg,
    tooltip,
    describe(label, summary) {
      svg.attr('aria-label', label);
      desc.text(summary);
    },
    announce: (text) => void live.text(text),
    destroy: () => wrapper.remove(),
  };
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
/**
 * Keyboard focus for an interactive chart: the svg joins the tab order and its keydown handler receives the keys.
 * A handled key is marked with preventDefault, so page-wide shortcuts (←/→ change the layer) leave it alone.
 */
export function makeFocusable(svg: SvgSel, onKey: (e: KeyboardEvent) => boolean, onBlur?: () => void): void {
  svg.attr('tabindex', 0).attr('focusable', 'true');
  svg.on('keydown', (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (onKey(e)) e.preventDefault();
  });
  if (onBlur) svg.on('blur', onBlur);
}

/** Where on screen an svg element is, as the pointer position the tooltip expects (for keyboard-driven tooltips). */
export function pointerAt(el: Element): MouseEvent {
  const r = el.getBoundingClientRect();
  return { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 } as MouseEvent;
}

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
