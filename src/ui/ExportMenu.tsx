import { downloadBlob, downloadSvg, downloadText, svgToPngBlob } from '../charts/export';

export interface ExportItem {
  label: string;
  run: () => void | Promise<void>;
}

/** SVG and PNG of a chart, plus any data exports, as small buttons. */
export function chartExports(getSvg: () => SVGSVGElement | null | undefined, base: string): ExportItem[] {
  return [
    { label: 'SVG', run: () => { const s = getSvg(); if (s) downloadSvg(s, `${base}.svg`); } },
    { label: 'PNG', run: async () => { const s = getSvg(); if (s) downloadBlob(await svgToPngBlob(s, 2), `${base}.png`); } },
  ];
}

export function textExport(label: string, filename: string, mime: string, text: () => string): ExportItem {
  return { label, run: () => downloadText(text(), filename, mime) };
}

export function ExportMenu({ items }: { items: ExportItem[] }) {
  return (
    <span className="exports">
      <span className="muted small">export</span>
      {items.map((it) => (
        <button key={it.label} type="button" className="small-btn" onClick={() => void it.run()}>
          {it.label}
        </button>
      ))}
    </span>
  );
}
