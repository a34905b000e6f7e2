import { useEffect, useRef, useState } from 'react';
import type { ImageDataset } from '../../types';
import { classColor } from '../palette';
import { fillImageData } from '../thumbnails';
import type { ViewProps } from '../viewContext';

/** The analysed images, one canvas per class (thousands of <img> would be slow), hover for the image number. */
export function ImagesView({ dataset, sourceIndices }: ViewProps) {
  if (!dataset) return <div className="muted">Loading the dataset…</div>;
  return (
    <div className="images-view" data-testid="images-view">
      <p className="muted small">
        {dataset.n} images analysed ({dataset.name}). Each point of a layer's cloud is one of these images.
      </p>
      {dataset.classNames.map((name, k) => (
        <ClassRow key={k} ds={dataset} k={k} name={name} sourceIndices={sourceIndices} />
      ))}
    </div>
  );
}

const CELL = 30;

function ClassRow({ ds, k, name, sourceIndices }: { ds: ImageDataset; k: number; name: string; sourceIndices?: Int32Array }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string>('');
  const members: number[] = [];
  for (let i = 0; i < ds.n; i++) if (ds.labels[i] === k) members.push(i);
  const perRow = 40;
  const rows = Math.max(1, Math.ceil(members.length / perRow));
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const ctx = c.getContext('2d')!;
    const { width: w, height: h } = ds;
    const img = ctx.createImageData(w, h);
    const tile = document.createElement('canvas');
    tile.width = w;
    tile.height = h;
    const tctx = tile.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    members.forEach((m, j) => {
      fillImageData(ds, m, img);
      tctx.putImageData(img, 0, 0);
      ctx.drawImage(tile, (j % perRow) * CELL, Math.floor(j / perRow) * CELL, CELL - 2, CELL - 2);
    });
  }, [ds, k]); // eslint-disable-line react-hooks/exhaustive-deps -- members and rows are computed from ds and k on each render
  return (
    <div className="class-row">
      <div className="class-title">
        <span className="swatch" style={{ background: classColor(k) }} /> {name} <span className="muted">({members.length})</span> <span className="muted small">{hover}</span>
      </div>
      <canvas
        ref={canvas}
        width={perRow * CELL}
        height={rows * CELL}
        role="img"
        aria-label={`${members.length} images of class ${name}`}
        onMouseMove={(e) => {
          // The canvas shrinks to its pane (CSS max-width): map the pointer back to canvas pixels.
          const r = e.currentTarget.getBoundingClientRect();
          const sx = e.currentTarget.width / r.width, sy = e.currentTarget.height / r.height;
          const j = Math.floor(((e.clientY - r.top) * sy) / CELL) * perRow + Math.floor(((e.clientX - r.left) * sx) / CELL);
          const m = members[j];
          setHover(m === undefined ? '' : `image #${sourceIndices ? sourceIndices[m] : m}`);
        }}
        onMouseLeave={() => setHover('')}
      />
    </div>
  );
}
