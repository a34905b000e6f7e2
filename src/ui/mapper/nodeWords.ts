import type { MapperGraph, MapperNode } from '../../mapper/index';

/** A node in words instead of its internal id: "interval 34 of 40 · l2norm 3.12–4.05 · 57 images · mostly sandal (81 %)". */
export function nodeInWords(graph: MapperGraph, node: MapperNode, classNames: string[], lensName: string): string {
  const parts: string[] = [];
  const nIntervals = graph.params.nIntervals;
  parts.push(`interval ${node.cell.map((c) => c + 1).join(' × ')} of ${nIntervals}`);
  // The members' own lens range (the cover set is wider: it overlaps its neighbours).
  const lens = graph.lens[0];
  if (lens) {
    let lo = Infinity, hi = -Infinity;
    for (const m of node.members) {
      lo = Math.min(lo, lens[m]);
      hi = Math.max(hi, lens[m]);
    }
    if (lo <= hi) parts.push(`${lensName} ${lo.toPrecision(3)}–${hi.toPrecision(3)}`);
  }
  parts.push(`${node.members.length} image${node.members.length === 1 ? '' : 's'}`);
  if (node.classCounts) {
    let k = 0;
    for (let i = 1; i < node.classCounts.length; i++) if (node.classCounts[i] > node.classCounts[k]) k = i;
    const pct = (100 * node.classCounts[k]) / Math.max(1, node.members.length);
    parts.push(pct >= 99.95 ? `all ${classNames[k] ?? `class ${k}`}` : `mostly ${classNames[k] ?? `class ${k}`} (${pct.toFixed(0)} %)`);
  }
  return parts.join(' · ');
}
