import { useEffect, useRef, type ReactNode } from 'react';
import type { ChartHandle as Handle } from '../charts/frame';
import { chartExports, ExportMenu } from './ExportMenu';

/**
 * Mounts a d3 renderer (plain data in, DOM node, update/destroy handle) in React: created once, updated when the
 * data or options change, destroyed on unmount. `onHandle` gives the handle to the parent (exports, highlight).
 */
export function Chart<D, O, H extends Handle<D, O>>({
  render,
  data,
  options,
  onHandle,
  className,
}: {
  render: (el: HTMLElement, data: D, options: O) => H;
  data: D;
  options: O;
  onHandle?: (h: H | null) => void;
  className?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const handle = useRef<H | null>(null);
  useEffect(() => {
    if (!el.current) return;
    if (!handle.current) {
      handle.current = render(el.current, data, options);
      onHandle?.(handle.current);
    } else {
      handle.current.update(data, options);
    }
  }, [data, options]); // eslint-disable-line react-hooks/exhaustive-deps -- render and onHandle are read once, at creation; a new closure is not a new chart
  useEffect(
    () => () => {
      handle.current?.destroy();
      handle.current = null;
      onHandle?.(null);
    },
    [], // eslint-disable-line react-hooks/exhaustive-deps -- on unmount only
  );
  return <div ref={el} className={className ?? 'chart'} />;
}

/** A chart with its caption and SVG / PNG export buttons. */
export function ExportableChart<D, O, H extends Handle<D, O>>({
  filename,
  caption,
  ...chart
}: {
  render: (el: HTMLElement, data: D, options: O) => H;
  data: D;
  options: O;
  filename: string;
  caption?: ReactNode;
}) {
  const handle = useRef<H | null>(null);
  return (
    <figure>
      <Chart {...chart} onHandle={(h) => (handle.current = h)} />
      <figcaption>
        {caption} <ExportMenu items={chartExports(() => handle.current?.svg(), filename)} />
      </figcaption>
    </figure>
  );
}
