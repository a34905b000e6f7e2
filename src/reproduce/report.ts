/**
 * The Markdown report (docs/reproduction.md) from a results object. Every finding is one sentence generated from the
 * numbers, beside what the paper says; the paper's side is limited to what our sources state (the abstract in
 * /work/shared/seed and method.md): no paper numbers are quoted because we have none. Agreement is decided by the
 * rules written in the report itself, so a different run can flip a verdict but never invent one.
 */
import { mapperFigureLayers, FIGURE_NAMES } from './figures';
import type { ReproductionResults } from './pipeline';
import { spearman } from '../similarity/rank';
import { argmax } from '../arrays';

export interface ReportOptions {
  /** Relative directory of the SVG files as seen from the report. */
  figureDir: string;
  /** Figures that exist (others are not linked). */
  figureNames: string[];
}

function f(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(digits)));
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v * 100)} %` : 'n/a';
}

function mean(v: number[]): number {
  const ok = v.filter(Number.isFinite);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

/** Words for a rank correlation's strength (|ρ| < 0.3 weak, < 0.6 moderate, else strong). */
export function strength(rho: number): string {
  if (!Number.isFinite(rho)) return 'undefined';
  const a = Math.abs(rho);
  const s = a < 0.3 ? 'weak' : a < 0.6 ? 'moderate' : 'strong';
  return `${s} ${rho >= 0 ? 'positive' : 'negative'}`;
}

/** 1, 2, 3, 6, 8, 9 → "1–3, 6, 8–9". */
export function ranges(v: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < v.length; ) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[j] + 1) j++;
    out.push(j > i ? `${v[i]}–${v[j]}` : `${v[i]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** How a distance follows the layer gap, in words, from a rank correlation (same 0.3 cut as `strength`). */
export function trend(rho: number): string {
  if (!Number.isFinite(rho)) return 'has no defined trend with';
  return rho >= 0.3 ? 'grows with' : rho <= -0.3 ? 'shrinks with' : 'hardly follows';
}

interface Finding {
  topic: string;
  ours: string;
  paper: string;
  verdict: string;
}

/** The findings table's rows, each computed from the numbers. */
export function findings(r: ReproductionResults): Finding[] {
  const out: Finding[] = [];
  const layers = r.config.layers;
  const first = layers[0], last = layers[layers.length - 1];
  const top = r.persistence.topL2;
  const h1 = top.map((p) => p.h1.total);
  const iMax = argmax(h1);
  const bars = top.map((p) => p.h1.count);
  out.push({
    topic: 'Topology of each layer',
    ours:
      `${Math.min(...bars) > 0 ? "Every layer's" : `${bars.filter((b) => b > 0).length} of ${bars.length} layers'`} top-L2 cloud has H1 classes (${Math.min(...bars)}–${Math.max(...bars)} bars per layer), with total H1 persistence ${f(h1[0])} at layer ${first}, ` +
      `${f(h1[h1.length - 1])} at layer ${last} and largest at layer ${layers[iMax]} (${f(h1[iMax])}).`,
    paper: 'Hidden-layer activations modelled as point clouds "capture valuable structural information" (abstract); no per-layer values are available to us.',
    verdict: 'no paper number to compare',
  });
  if (r.persistence.random && r.persistence.swTopL2VsRandom) {
    const rh1 = r.persistence.random.map((p) => p.h1.total);
    const higher = rh1.filter((v, i) => v > h1[i]).length;
    out.push({
      topic: 'top-L2 vs random position',
      ours: `The random-position cloud has more total H1 persistence than the top-L2 cloud at ${higher} of ${layers.length} layers, and the SW distance between the two clouds' H1 diagrams averages ${f(mean(r.persistence.swTopL2VsRandom))} over layers.`,
      paper: 'The paper explores several ways to turn activations into point clouds (abstract); top-L2 is its main choice (method.md §2); no comparison values are available to us.',
      verdict: 'no paper number to compare',
    });
  }
  const lc = r.layerComparison;
  if (lc.pairs >= 2) {
    const swVals = lc.sw.flatMap((row, i) => row.filter((_, j) => j > i));
    const grows = lc.spearmanSwLayerGap >= 0.3;
    const stages = lc.swWithinStage < lc.swBetweenStages;
    out.push({
      topic: 'SW separates layers',
      ours:
        `SW between layers' H1 diagrams ranges over ${f(Math.min(...swVals))}–${f(Math.max(...swVals))}, ${trend(lc.spearmanSwLayerGap)} the distance between the layers (Spearman ρ(SW, |i − j|) = ${f(lc.spearmanSwLayerGap, 2)}) ` +
        `and is ${stages ? 'smaller' : 'not smaller'} within a stage than between stages (mean ${f(lc.swWithinStage)} vs ${f(lc.swBetweenStages)}).`,
      paper: 'A distance based on persistent homology "can be used to quantify meaningful differences between layers" (abstract).',
      verdict: grows && stages ? 'agrees' : grows || stages ? 'agrees in part' : 'disagrees',
    });
    out.push({
      topic: 'SW vs CKA',
      ours: `Over the ${lc.pairs} layer pairs, SW and 1 − linear CKA have Spearman ρ = ${f(lc.spearmanSwCka, 2)} (${strength(lc.spearmanSwCka)}; with debiased CKA ρ = ${f(lc.spearmanSwCkaDebiased, 2)}).`,
      paper: 'The PH distance is discussed "in the broader context of existing representational similarity metrics" such as CKA (abstract, method.md §5); no correlation value is available to us.',
      verdict: `no paper number to compare; here the two measures rank the layer pairs ${Math.abs(lc.spearmanSwCka) < 0.3 ? 'almost independently' : lc.spearmanSwCka > 0 ? 'alike' : 'in opposite orders'}`,
    });
  }
  if (r.checkpoints) {
    const c = r.checkpoints;
    const last = c.models[c.models.length - 1].id;
    const toFinal = c.pairs.filter((p) => p.b === last);
    const parts = toFinal.map((p) => `${p.a}: mean SW ${f(mean(p.sw))}, mean CKA ${f(mean(p.cka))}`);
    const deepest = toFinal.map((p) => `${p.a} layer ${layers[argmax(p.sw)]}`);
    // Which checkpoint is closer to the last model: by mean SW (smaller) and by mean CKA (larger).
    const bySw = [...toFinal].sort((p, q) => mean(p.sw) - mean(q.sw)).map((p) => p.a);
    const byCka = [...toFinal].sort((p, q) => mean(q.cka) - mean(p.cka)).map((p) => p.a);
    const order = toFinal.length < 2 ? '' : bySw.join() === byCka.join()
      ? `; SW and CKA agree that ${bySw[0]} is the closest`
      : `; SW and CKA disagree on the closest checkpoint (SW: ${bySw[0]}, CKA: ${byCka[0]})`;
    out.push({
      topic: 'Same layer across checkpoints',
      ours: `Compared with ${last} layer by layer — ${parts.join('; ')} — the largest SW change is at ${deepest.join(', ')}${order}.`,
      paper: 'The paper compares the same layer across models (100 seeds, method.md §5); it reports no checkpoint comparison in our sources.',
      verdict: 'no paper counterpart',
    });
  }
  if (r.sensitivity.length > 0) {
    const kMax = Math.max(...r.sensitivity.map((s) => s.k[s.k.length - 1]));
    const desc = r.sensitivity.map((s) => `layer ${s.layer}: SW ${f(s.sw[1] ?? NaN)} → ${f(s.sw[s.sw.length - 1])}, 1 − CKA ${f(s.oneMinusCka[1] ?? NaN)} → ${f(s.oneMinusCka[s.oneMinusCka.length - 1])}`);
    const monotone = r.sensitivity.map((s) => (s.k.length > 2 ? spearman(s.k, s.sw) : NaN));
    out.push({
      topic: 'PC-removal sensitivity',
      ours: `Removing the top 1 → ${kMax} principal components moves the measures as follows (${desc.join('; ')}); Spearman ρ(k, SW) = ${monotone.map((m) => f(m, 2)).join(' / ')}.`,
      paper: 'method.md §5 (after Ding et al. 2021): a good similarity measure should react when the removed directions matter; no paper values are available to us.',
      verdict: 'no paper number to compare',
    });
  }
  if (r.rtd && r.rtdMatrix) {
    const vals = r.rtdMatrix.flatMap((row, i) => row.filter((_, j) => j > i));
    out.push({
      topic: 'RTD vs SW and CKA',
      ours: `RTD between layers (${r.rtd.sample} images × ${r.rtd.trials} trial${r.rtd.trials === 1 ? '' : 's'}) ranges over ${f(Math.min(...vals))}–${f(Math.max(...vals))}` +
        (vals.length >= 2 ? `; over the ${vals.length} layer pairs it has Spearman ρ = ${f(r.rtd.spearmanRtdSw, 2)} with SW (${strength(r.rtd.spearmanRtdSw)}) and ρ = ${f(r.rtd.spearmanRtdCka, 2)} with 1 − linear CKA (${strength(r.rtd.spearmanRtdCka)}).` : ' (one layer pair: no rank correlation).'),
      paper: 'RTD (Barannikov et al. 2022) is not in the paper; it is added here as a topological measure that, unlike SW of per-layer diagrams, uses which image is which.',
      verdict: 'no paper counterpart',
    });
  }
  if (r.seeds) {
    const s = r.seeds;
    const word = (c: { sameLayerAcrossSeeds: number; differentLayersWithinModel: number }) => (c.sameLayerAcrossSeeds < c.differentLayersWithinModel ? 'closer' : 'not closer');
    const rtdPart = s.closer.rtd ? `; RTD ${f(s.closer.rtd.sameLayerAcrossSeeds)} vs ${f(s.closer.rtd.differentLayersWithinModel)} (${s.closer.rtd.layersCloserThanEveryOtherLayer} of ${layers.length})` : '';
    const sw = s.closer.sw, ck = s.closer.oneMinusCka;
    out.push({
      topic: 'Same layer across seeds',
      ours:
        `Over ${s.models.length} seeds of the recipe (${s.sameLayer.length} pair${s.sameLayer.length === 1 ? '' : 's'} of models), the same layer is ${word(sw)} across seeds than different layers within one model by SW (mean ${f(sw.sameLayerAcrossSeeds)} vs ${f(sw.differentLayersWithinModel)}) and ${word(ck)} by 1 − CKA (${f(ck.sameLayerAcrossSeeds)} vs ${f(ck.differentLayersWithinModel)})${rtdPart}; ` +
        `a layer is closer to itself in every other seed than to every other layer of both models at ${sw.layersCloserThanEveryOtherLayer} of ${layers.length} layers by SW and ${ck.layersCloserThanEveryOtherLayer} by 1 − CKA.`,
      paper: 'The paper compares the same layer across 100 seeds with a cross block beside the within-model matrix (method.md §5, its code release); no values are available to us.',
      verdict: sw.sameLayerAcrossSeeds < sw.differentLayersWithinModel ? 'agrees in direction (SW)' : 'SW does not tell the same layer apart across seeds',
    });
  }
  if (r.pcRemovalProtocol.length > 0) {
    const desc = r.pcRemovalProtocol.map((p) => {
      const half = p.fraction.findIndex((x) => x >= 0.5);
      const at = (v: number[] | null) => (v && half >= 0 ? f(v[half]) : 'n/a');
      return `layer ${p.layer} (C = ${p.channels}) at ${half >= 0 ? f(p.fraction[half], 2) : 'n/a'} of the channels removed: SW ${at(p.sw)}, 1 − CKA ${at(p.oneMinusCka)}${p.rtd ? `, RTD ${at(p.rtd)}` : ''}`;
    });
    const mono = r.pcRemovalProtocol.map((p) => (p.removed.length > 2 ? `${f(spearman(p.removed, p.sw), 2)}/${f(spearman(p.removed, p.oneMinusCka), 2)}${p.rtd ? `/${f(spearman(p.removed.filter((_, i) => Number.isFinite(p.rtd![i])), p.rtd.filter(Number.isFinite)), 2)}` : ''}` : 'n/a'));
    out.push({
      topic: "PC removal, the paper's protocol",
      ours: `Removing k = 4, 8, … ≤ C top components: ${desc.join('; ')}; Spearman ρ(k, measure) SW/CKA${r.pcRemovalProtocol[0].rtd ? '/RTD' : ''} = ${mono.join(' · ')} (layers ${r.pcRemovalProtocol.map((p) => p.layer).join(', ')}).`,
      paper: "The paper's code removes components in steps of 4 and plots the measures against the fraction of channels removed (method.md §5); no values are available to us.",
      verdict: 'no paper number to compare',
    });
  }
  const m = r.mapper;
  if (m.layers.length > 0) {
    const pur = m.layers.map((l) => l.purity);
    const rho = layers.length > 2 ? spearman(layers, pur) : NaN;
    out.push({
      topic: 'Mapper purity with depth',
      ours: `Mapper class purity goes from ${f(pur[0])} at layer ${first} to ${f(pur[pur.length - 1])} at layer ${last} (chance ${f(m.chancePurity)}; Spearman ρ(layer, purity) = ${f(rho, 2)}), super-class purity from ${f(m.layers[0].superPurity)} to ${f(m.layers[m.layers.length - 1].superPurity)} (chance ${f(m.chanceSuperPurity)}).`,
      paper: 'Mapper graphs give "semantic insight into how these models organize hierarchical class knowledge at each layer" (abstract).',
      verdict: rho >= 0.3 && pur[pur.length - 1] > pur[0] ? 'agrees (classes get organised with depth)' : 'disagrees (no rise of purity with depth)',
    });
    const [a, b] = m.superclasses.pair;
    const na = m.superclasses.names[a], nb = m.superclasses.names[b];
    const lastM = m.layers[m.layers.length - 1];
    const deepHalf = layers[Math.floor(layers.length / 2)];
    const sepText = m.separatedFromLayer !== null
      ? `are separated (no mixed node, no cross edge) from layer ${m.separatedFromLayer} on${m.separatedComponentsFromLayer !== null ? ` and in different connected components from layer ${m.separatedComponentsFromLayer} on` : ', though never in different connected components at every deeper layer'}`
      : `are not separated at the last layer`;
    const sepLayers = m.layers.filter((l) => l.separated).map((l) => l.layer);
    out.push({
      topic: 'Super-classes separate in deep layers',
      ours: `In the Mapper graphs ${na} and ${nb} ${sepText} (separated at layers ${sepLayers.length ? ranges(sepLayers) : 'none'}); at layer ${last} there are ${lastM.mixedNodes} mixed nodes, ${lastM.crossEdges} cross edges and ${lastM.mixedComponents} mixed components.`,
      paper: 'In deep layers the Mapper graph separates super-classes (CIFAR-10: vehicles vs animals) (abstract, method.md §6).',
      verdict: m.separatedFromLayer === null ? 'disagrees' : m.separatedFromLayer >= deepHalf ? 'agrees' : `agrees (separation already from layer ${m.separatedFromLayer}, before the deep half)`,
    });
    const sA = m.superLiftFromLayer, cA = m.classLiftFromLayer;
    const th = r.config.liftThreshold;
    let verdict: string;
    if (sA === null && cA === null) verdict = `not shown: neither reaches ${th}`;
    else if (sA !== null && (cA === null || sA < cA)) verdict = 'agrees';
    else if (sA !== null && cA !== null && sA === cA) verdict = `not distinguishable by the threshold rule (both from layer ${sA})`;
    else verdict = 'disagrees';
    out.push({
      topic: 'Super-classes before classes',
      ours: `The super-class purity lift (purity − chance)/(1 − chance) stays ≥ ${th} from layer ${sA ?? '— (never)'} on, the class purity lift from layer ${cA ?? '— (never)'} on, and the super-class lift is the larger at ${m.layers.filter((l) => l.superPurityLift > l.purityLift).length} of ${layers.length} layers (layer ${last}: ${f(lastM.superPurityLift)} vs ${f(lastM.purityLift)}).`,
      paper: 'The graph separates super-classes first, then classes (abstract: "hierarchical class knowledge"; method.md §6).',
      verdict,
    });
  }
  return out;
}

function img(o: ReportOptions, key: keyof typeof FIGURE_NAMES, alt: string): string {
  const name = FIGURE_NAMES[key];
  return o.figureNames.includes(name) ? `![${alt}](${o.figureDir}/${name})\n` : '';
}

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** The whole report as Markdown. */
export function buildReport(r: ReproductionResults, o: ReportOptions): string {
  const L = r.config.layers;
  const acc = r.model.testAccuracy;
  const parts: string[] = [];
  parts.push(`# Reproduction of the paper's analyses on the bundled model\n`);
  parts.push(
    `Generated by \`npm run reproduce\` (\`convtopo reproduce\`) on ${r.createdAt.slice(0, 10)} — do not edit by hand; rerun instead. ` +
      `The paper (*Experimental Observations of the Topology of Convolutional Neural Network Activations*) studies a ResNet-18 trained on CIFAR-10; ` +
      `here the same analyses (method.md §§2–6) run on the bundled quarter-width ResNet-18 trained on Fashion-MNIST.\n`,
  );
  parts.push(table(['', ''], [
    ['model', `\`${r.model.source}\` (${r.model.name ?? r.model.id}${r.model.epochs !== null ? `, ${r.model.epochs} epoch${r.model.epochs === 1 ? '' : 's'}` : ''}${acc !== null ? `, test accuracy ${f(acc, 4)}` : ''})`],
    ['images', `${r.dataset.n} from \`${r.dataset.source}\` (${r.dataset.classCounts.join('/')} per class)`],
    ['layers', L.length === 17 ? 'all 17 studied convolutions (outputs before BatchNorm and ReLU)' : L.join(', ')],
    ['point cloud', 'top-L2 (one point per image: the channel vector at the position of largest L2 norm), Euclidean'],
    ['persistence', 'Vietoris–Rips, H0 and H1, Z/2, no threshold (ripser.py defaults)'],
    ['layer distance', `sliced Wasserstein on H1, M = ${r.config.swM} (persim); linear CKA (and debiased); RTD ${r.rtd ? `on ${r.rtd.sample} images × ${r.rtd.trials} trial${r.rtd.trials === 1 ? '' : 's'}` : 'not computed'}`],
    ['Mapper', `lens l2norm, ${r.config.mapper.nIntervals} intervals, overlap ${r.config.mapper.overlap}, DBSCAN min_samples ${r.config.mapper.minSamples}, eps at the knee`],
    ['analysis time', `${f(r.timing.total, 3)} s on a shared 2-core machine, after loading (${Object.entries(r.timing).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${f(v, 3)} s`).join(', ')})`],
  ]));

  parts.push(`## Findings\n`);
  parts.push('Each finding is one sentence computed from this run, beside what the paper says. Our only sources for the paper are its abstract and method.md, so no paper numbers are quoted; "agrees" means the direction the paper describes is seen here (the rules are given in each section).\n');
  parts.push(table(['#', 'topic', 'this run (Fashion-MNIST, ¼-width ResNet-18)', 'the paper (ResNet-18, CIFAR-10)', 'verdict'], findings(r).map((x, i) => [i + 1, x.topic, x.ours, x.paper, x.verdict])));

  // 1. persistence
  parts.push(`## 1. Persistence of each layer (method.md §§2–3)\n`);
  parts.push(img(o, 'diagrams', 'persistence diagrams per layer'));
  parts.push(img(o, 'totals', 'total H1 persistence per layer'));
  parts.push(img(o, 'h0', 'total H0 persistence per layer'));
  const rows = r.persistence.topL2.map((p, i) => {
    const rnd = r.persistence.random?.[i];
    return [p.layer, r.layers[i].name, `${r.layers[i].shape.join('×')}`, p.h1.count, f(p.h1.total), f(p.h1.max), f(p.h0.total), rnd ? f(rnd.h1.total) : '—', r.persistence.swTopL2VsRandom ? f(r.persistence.swTopL2VsRandom[i]) : '—', f(p.seconds, 2)];
  });
  parts.push(table(['layer', 'name', 'H×W×C', 'H1 bars', 'H1 total', 'H1 max', 'H0 total', 'H1 total (random)', 'SW top-L2 vs random', 'PH s'], rows));

  // 2. layer comparison
  const lc = r.layerComparison;
  parts.push(`\n## 2. Layers compared: sliced Wasserstein (H1) and CKA (method.md §§4–5)\n`);
  parts.push(
    `Rule for "SW separates layers": it agrees with the paper when SW grows with the layer gap (Spearman ρ(SW, |i − j|) ≥ 0.3) **and** layers of the same stage are closer than layers of different stages; one of the two = "agrees in part". ` +
      `Rank agreement with CKA is compared on SW against 1 − CKA over the ${lc.pairs} pairs i < j; |ρ| < 0.3 is called weak, < 0.6 moderate, otherwise strong.\n`,
  );
  parts.push(img(o, 'sw', 'SW matrix'));
  parts.push(img(o, 'cka', 'CKA matrix'));
  parts.push(img(o, 'scatter', 'SW against 1 − CKA'));
  parts.push(table(['statistic', 'SW (H1)', '1 − linear CKA'], [
    ['Spearman ρ with the layer gap |i − j|', f(lc.spearmanSwLayerGap, 3), f(lc.spearmanCkaLayerGap, 3)],
    ['mean within a stage', f(lc.swWithinStage), f(lc.oneMinusCkaWithinStage)],
    ['mean between stages', f(lc.swBetweenStages), f(lc.oneMinusCkaBetweenStages)],
    ['Spearman ρ(SW, 1 − CKA)', f(lc.spearmanSwCka, 3), ''],
    ['Spearman ρ(SW, 1 − debiased CKA)', f(lc.spearmanSwCkaDebiased, 3), ''],
  ]));

  // 3. checkpoints
  parts.push(`\n## 3. The same layer across checkpoints (method.md §5)\n`);
  if (r.checkpoints) {
    const c = r.checkpoints;
    parts.push(`Models: ${c.models.map((m) => `\`${m.id}\`${m.epochs !== null ? ` (${m.epochs} epoch${m.epochs === 1 ? '' : 's'}${m.testAccuracy !== null ? `, accuracy ${f(m.testAccuracy, 4)}` : ''})` : ''}`).join(', ')}. SW between the H1 diagrams of the same layer, and linear CKA between the same layer's clouds, for every pair of models.\n`);
    parts.push(img(o, 'ckptSw', 'SW across checkpoints'));
    parts.push(img(o, 'ckptCka', 'CKA across checkpoints'));
    parts.push(table(['layer', ...c.models.map((m) => `H1 total ${m.id}`), ...c.pairs.flatMap((p) => [`SW ${p.a}–${p.b}`, `CKA ${p.a}–${p.b}`])],
      L.map((layer, i) => [layer, ...c.h1Total.map((h) => f(h[i])), ...c.pairs.flatMap((p) => [f(p.sw[i]), f(p.cka[i])])])));
  } else {
    parts.push('No other checkpoint of the model was found (pass `--checkpoints DIR,DIR`), so this comparison was skipped.\n');
  }

  // 4. sensitivity
  parts.push(`\n## 4. Sensitivity to removing principal components (method.md §5)\n`);
  parts.push('For each layer shown, the top-k principal directions of the cloud are projected out (k = 0 … ' + `${r.config.maxK}), and the reduced cloud is compared with the original: SW between their H1 diagrams, and 1 − linear CKA. k = 0 is the sanity check (both 0).\n`);
  parts.push(img(o, 'sensSw', 'SW sensitivity'));
  parts.push(img(o, 'sensCka', 'CKA sensitivity'));
  if (r.sensitivity.length > 0) {
    const ks = r.sensitivity[0].k;
    parts.push(table(['k', ...r.sensitivity.flatMap((s) => [`SW layer ${s.layer}`, `1 − CKA layer ${s.layer}`])],
      ks.map((k, j) => [k, ...r.sensitivity.flatMap((s) => [f(s.sw[j]), f(s.oneMinusCka[j])])])));
  }

  // 5. Mapper
  const m = r.mapper;
  const [a, b] = m.superclasses.pair;
  parts.push(`\n## 5. Mapper graphs and super-classes (method.md §6)\n`);
  parts.push(
    `Super-classes: ${m.superclasses.names.map((name, s) => `**${name}** = ${m.superclasses.ofClass.map((g, c) => (g === s ? r.dataset.classNames[c] : null)).filter(Boolean).join(', ')}`).join('; ')}.\n\n` +
      `Criterion (ours, measurable): *super-class purity* is the graph purity of method.md §6 with each label replaced by its super-class (chance level Σ p² = ${f(m.chanceSuperPurity)}; for classes ${f(m.chancePurity)}). ` +
      `A node **mixes** ${m.superclasses.names[a]} and ${m.superclasses.names[b]} when each is more than ${pct(r.config.mixThreshold)} of its members; a **cross edge** joins a node whose majority super-class is one of them to a node whose majority is the other. ` +
      `The two are **separated** at a layer when there is no mixed node and no cross edge (they can still meet through nodes of the third group: different branches), and **in different components** when, in addition, no connected component has more than ${pct(r.config.mixThreshold)} of its members from each. ` +
      `Purities are means over the *covered* points (those in at least one node; DBSCAN leaves the rest as noise, column "covered"). ` +
      `"Separated from layer L on" means at L and every deeper layer. "Super-classes before classes" compares the first layers from which the purity lift (purity − chance)/(1 − chance) stays ≥ ${r.config.liftThreshold} for super-classes and for classes.\n`,
  );
  parts.push(img(o, 'purity', 'Mapper purity per layer'));
  parts.push(img(o, 'separation', 'super-class mixing per layer'));
  parts.push(img(o, 'graphs', `Mapper graphs of layers ${mapperFigureLayers(r).join(', ')}`));
  parts.push(table(['layer', 'nodes', 'edges', 'components', 'eps', 'covered', 'purity', 'super-class purity', 'mixed nodes', 'cross edges', 'mixed components', 'separated', 'in different components'],
    m.layers.map((x) => [x.layer, x.nodes, x.edges, x.components, f(x.eps), x.covered, f(x.purity), f(x.superPurity), x.mixedNodes, x.crossEdges, x.mixedComponents, x.separated ? 'yes' : 'no', x.separatedComponents ? 'yes' : 'no'])));
  parts.push(`\nFrom layer ${m.separatedFromLayer ?? '— (never)'} on the two groups are separated; in different components from layer ${m.separatedComponentsFromLayer ?? '— (never)'} on. ` +
    `Purity lift ≥ ${r.config.liftThreshold}: super-classes from layer ${m.superLiftFromLayer ?? '— (never)'} on, classes from layer ${m.classLiftFromLayer ?? '— (never)'} on.\n`);

  // 6. RTD
  parts.push(`\n## 6. Representation Topology Divergence between layers (Barannikov et al. 2022)\n`);
  if (r.rtdMatrix && r.rtd) {
    parts.push(
      `RTD(A, B) is the total length of the H1 bars of the Vietoris–Rips filtration of M = [[0, r₁ᵀ], [r₁, min(r₁, r₂)]] on 2n vertices (r₁, r₂: the layers' distance matrices on the same images, each divided by its 0.9 quantile); the matrix holds the symmetric (RTD(A, B) + RTD(B, A)) / 2. ` +
        `The paper that defines RTD samples s = 500 images × T = 10 trials; one pair at s = 500 costs minutes of CPU here, so this run uses **s = ${r.rtd.sample} images × T = ${r.rtd.trials} trial${r.rtd.trials === 1 ? '' : 's'}** (seed ${r.rtd.seed}, every pair on the same images), which keeps the reproduction's CPU time within its 15-minute budget (wall time for the matrix in this run: ${f(r.timing.rtdMatrix, 3)} s).\n`,
    );
    parts.push(img(o, 'rtd', 'RTD matrix'));
    parts.push(img(o, 'rtdScatter', 'RTD against SW'));
    parts.push(table(['statistic', 'value'], [
      ['Spearman ρ(RTD, SW)', f(r.rtd.spearmanRtdSw, 3)],
      ['Spearman ρ(RTD, 1 − linear CKA)', f(r.rtd.spearmanRtdCka, 3)],
    ]));
  } else {
    parts.push('RTD was not computed in this run (`--skip-rtd`, or a single layer).\n');
  }

  // 7. seeds
  parts.push(`\n## 7. The same layer across training seeds (method.md §5, the paper's cross block)\n`);
  if (r.seeds) {
    const s = r.seeds;
    parts.push(`Models (same recipe, other seeds): ${s.models.map((x) => `\`${x.id}\`${x.seed !== null ? ` (seed ${x.seed}${x.testAccuracy !== null ? `, accuracy ${f(x.testAccuracy, 4)}` : ''})` : ''}`).join(', ')}. The paper trains 100; we have ${s.models.length}. ` +
      `For every pair of models, SW between the same layer's H1 diagrams and linear CKA between the same layer's clouds (same images); RTD for the pairs with \`${s.models[0].id}\`. ` +
      `Rule: the same layer is "closer across seeds" when its mean distance to itself in the other seeds is below the mean distance between different layers of one model; the stricter count is of layers i with d(A_i, B_i) below min over j ≠ i of d(A_i, A_j) and of d(B_i, B_j) for every pair (A, B).\n`);
    parts.push(img(o, 'seedsSw', 'same layer across seeds, SW'));
    parts.push(img(o, 'seedsCka', 'same layer across seeds, CKA'));
    parts.push(img(o, 'crossSw', 'cross block SW'));
    const rows: (string | number)[][] = [
      ['SW (H1)', f(s.closer.sw.sameLayerAcrossSeeds), f(s.closer.sw.differentLayersWithinModel), `${s.closer.sw.layersCloserThanEveryOtherLayer} of ${L.length}`],
      ['1 − linear CKA', f(s.closer.oneMinusCka.sameLayerAcrossSeeds), f(s.closer.oneMinusCka.differentLayersWithinModel), `${s.closer.oneMinusCka.layersCloserThanEveryOtherLayer} of ${L.length}`],
    ];
    if (s.closer.rtd) rows.push([`RTD (${r.rtd?.sample} images; within = ${s.models[0].id}'s matrix)`, f(s.closer.rtd.sameLayerAcrossSeeds), f(s.closer.rtd.differentLayersWithinModel), `${s.closer.rtd.layersCloserThanEveryOtherLayer} of ${L.length}`]);
    parts.push(table(['distance', 'same layer across seeds (mean)', 'different layers within a model (mean)', 'layers closer to themselves than to every other layer'], rows));
    const withModel = s.sameLayer.filter((p) => p.a === 0);
    parts.push('\n' + table(['layer', ...withModel.flatMap((p) => [`SW vs ${s.models[p.b].id}`, `CKA vs ${s.models[p.b].id}`, ...(p.rtd ? [`RTD vs ${s.models[p.b].id}`] : [])]), 'nearest other layer SW', 'nearest other layer 1 − CKA'],
      L.map((layer, i) => [layer, ...withModel.flatMap((p) => [f(p.sw[i]), f(p.cka[i]), ...(p.rtd ? [f(p.rtd[i])] : [])]), f(s.closer.sw.perLayer[i].nearestOther), f(s.closer.oneMinusCka.perLayer[i].nearestOther)])));
  } else {
    parts.push('No other seed of the model was found (pass `--seeds DIR,DIR`), so this comparison was skipped.\n');
  }

  // 8. PC removal protocol
  parts.push(`\n## 8. PC removal as the paper did it (method.md §5)\n`);
  if (r.pcRemovalProtocol.length > 0) {
    parts.push(`The paper's code removes the top k principal components for k = 4, 8, … up to the channel count C and plots each measure between the original and the reduced cloud against the fraction of channels removed, k / C (section 4 above is our k = 0 … ${r.config.maxK} version). ` +
      `SW between H1 diagrams, 1 − linear CKA${r.pcRemovalProtocol[0].rtd ? `, and RTD (${r.rtd?.sample ?? r.config.rtdSample} images × ${r.rtd?.trials ?? r.config.rtdTrials} trial; not defined once the cloud is its mean alone, n/a)` : ''}.\n`);
    parts.push(img(o, 'protocol', "PC removal, the paper's protocol"));
    for (const p of r.pcRemovalProtocol) {
      parts.push(`\nLayer ${p.layer} (C = ${p.channels}):\n\n` + table(['k', 'k / C', 'SW (H1)', '1 − CKA', ...(p.rtd ? ['RTD'] : [])],
        p.removed.map((k, j) => [k, f(p.fraction[j], 3), f(p.sw[j]), f(p.oneMinusCka[j]), ...(p.rtd ? [f(p.rtd[j])] : [])])));
    }
  } else {
    parts.push('No protocol layer was among the selected layers.\n');
  }

  parts.push(`\n## Files\n`);
  parts.push('`npm run reproduce` writes `reproduction/results.json` (every number above, the full persistence diagrams — a `null` death is an essential class — the matrices, curves, Mapper summaries with node members, timing and configuration), `reproduction/mapper/layer-NN.json` (KeplerMapper-shaped graphs) and this report with its figures (`docs/reproduction.md`, `docs/figures/`). Options: `convtopo reproduce --help`.\n');
  return parts.join('\n');
}
