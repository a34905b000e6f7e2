/**
 * Mapper rows: convtopo's buildMapper in Node (bench/mapper_run.ts) beside bench/mapper_reference.py (numpy +
 * scikit-learn), each in fresh processes, alternating, with the paper's defaults (l2norm lens, 40 intervals,
 * 40 % overlap, DBSCAN min_samples 5, eps at the knee).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '../../src/io/npy';
import type { PointCloud } from '../../src/types';
import { compareGraphs, type GraphNodes, type ReferenceGraph } from '../mapper_compare';
import type { BenchSection } from '../table';
import { mulberry32 as rng } from '../../src/random';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * A Gaussian mixture shaped like CNN activations, which have a low intrinsic dimension: 10 components, each a
 * Gaussian on its own random 6-dimensional affine subspace of R^d (unit spread along it), centres N(0, 2²) per
 * coordinate, plus isotropic noise of 0.05 per coordinate. Fixed seed.
 */
export function activationLikeMixture(n: number, d: number, seed: number): PointCloud {
  const r = rng(seed);
  const g = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const K = 10, q = 6;
  const centres = Array.from({ length: K }, () => Float64Array.from({ length: d }, () => 2 * g()));
  const bases = Array.from({ length: K }, () => Float64Array.from({ length: d * q }, () => g() / Math.sqrt(d / q)));
  const data = new Float32Array(n * d);
  const z = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * K);
    for (let a = 0; a < q; a++) z[a] = g();
    for (let j = 0; j < d; j++) {
      let v = centres[c][j] + 0.05 * g();
      for (let a = 0; a < q; a++) v += bases[c][j * q + a] * z[a];
      data[i * d + j] = v;
    }
  }
  return { data, n, d };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export default async function mapperBench(): Promise<BenchSection> {
  const sizes = (process.env.MAPPER_BENCH_SIZES ?? '10000x64,50000x128').split(',').map((s) => s.split('x').map(Number));
  const dir = mkdtempSync(join(tmpdir(), 'convtopo-mapper-bench-'));
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  try {
    for (const [n, d] of sizes) {
      // Fresh processes, alternating, so that both pipelines meet the same machine (this one is shared and noisy).
      const runs = Number(process.env.MAPPER_BENCH_RUNS ?? (n * d > 2_000_000 ? 3 : 7));
      const file = join(dir, `mixture_${n}x${d}.npy`);
      const generated = activationLikeMixture(n, d, 20240 + n + d);
      writeFileSync(file, writeNpy(generated.data, [n, d]));
      const ours: { seconds: number; nodes: number; edges: number; eps: number }[] = [];
      const refs: { nodes: number; edges: number; seconds: number; knee_seconds: number; own_eps: number }[] = [];
      // The first run of each writes its whole graph (after its timing), for the membership comparison.
      const ourNodes = join(dir, 'ours.json'), refNodes = join(dir, 'reference.json');
      for (let r = 0; r < runs; r++) {
        const first = r === 0 ? [ourNodes] : [];
        ours.push(JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(here, '..', 'mapper_run.ts'), file, ...first], { encoding: 'utf8' })));
        refs.push(JSON.parse(
          execFileSync('/usr/bin/python3', [join(here, '..', 'mapper_reference.py'), file, String(ours[0].eps), ...(r === 0 ? ['--nodes', refNodes] : [])], {
            encoding: 'utf8', maxBuffer: 1 << 26,
          }),
        ));
      }
      const graph = ours[0], ref = refs[0];
      const mine = median(ours.map((o) => o.seconds)), theirs = median(refs.map((o) => o.seconds));
      const ourGraph = JSON.parse(readFileSync(ourNodes, 'utf8')) as GraphNodes;
      // Memberships against the timed (default, brute-force) run; if they differ, against sklearn's tree algorithm
      // too, which decides a pair at exactly eps (the knee eps is one) with our arithmetic (see mapper_reference.py).
      const vsDefault = compareGraphs(ourGraph, JSON.parse(readFileSync(refNodes, 'utf8')) as ReferenceGraph);
      let equal = vsDefault.equal ? 'yes' : `no: ${vsDefault.nodesDiffering} nodes, ${vsDefault.edgesDiffering} edges`;
      if (!vsDefault.equal) {
        execFileSync('/usr/bin/python3', [join(here, '..', 'mapper_reference.py'), file, String(graph.eps), '--algorithm', 'ball_tree', '--no-knee', '--nodes', refNodes]);
        const vsTree = compareGraphs(ourGraph, JSON.parse(readFileSync(refNodes, 'utf8')) as ReferenceGraph);
        equal += vsTree.equal ? ' (yes with algorithm=ball_tree)' : ` (ball_tree: ${vsTree.nodesDiffering} nodes, ${vsTree.edgesDiffering} edges)`;
        notes.push(`${n}×${d}: memberships differ from the default sklearn run: ${vsDefault.examples.join('; ')}`);
      }
      const same = ref.nodes === graph.nodes ? 'same' : `DIFFERENT (${ref.nodes})`;
      const range = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)} s`;
      console.log(`mapper ${n}×${d}: convtopo ${graph.nodes} nodes, sklearn ${ref.nodes} nodes → ${same}; memberships equal: ${equal}; eps ${graph.eps} (sklearn's own knee ${ref.own_eps}); medians of ${runs}: ${mine.toFixed(3)} s vs ${theirs.toFixed(3)} s`);
      notes.push(
        `${n}×${d}: node counts ${same} (convtopo ${graph.nodes}, sklearn ${ref.nodes}), edges ${graph.edges} vs ${ref.edges}; ` +
          `eps ${graph.eps.toPrecision(6)} (sklearn's own knee ${ref.own_eps.toPrecision(6)}); ${runs} runs each: convtopo ${range(ours.map((o) => o.seconds))}, ` +
          `sklearn ${range(refs.map((o) => o.seconds))} (its knee kNN alone ${median(refs.map((o) => o.knee_seconds)).toFixed(3)} s)`,
      );
      rows.push([n, d, graph.nodes, graph.edges, equal, mine, theirs, mine / theirs]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'Mapper (l2norm lens, 40 intervals, 40 % overlap, DBSCAN min_samples 5, eps = knee)',
    columns: ['rows', 'dims', 'nodes', 'edges', 'memberships equal', 'convtopo s', 'sklearn s', 'ratio'],
    rows,
    notes: [
      'Data: 10-component Gaussian mixture, each component on a random 6-dim affine subspace + 0.05 isotropic noise (activation-like low intrinsic dimension), float32 .npy, fixed seed.',
      'Each pipeline runs in a fresh process (convtopo: bench/mapper_run.ts under Node; sklearn: bench/mapper_reference.py), the two alternating, 7 runs each (3 for the large row); the table gives the medians, timed after loading the .npy: lens, knee kNN on the whole cloud (k = 5, self included), cover, DBSCAN per interval, nerve.',
      'convtopo: blocks = leaves of a ball tree; distance tiles in WebAssembly SIMD (float32 estimates, float64 where a decision needs it); kNN and DBSCAN on 2 threads (worker_threads, started inside the timed region) from 2 M coordinates up, one thread below. sklearn 1.2: NearestNeighbors/DBSCAN defaults (algorithm auto → brute force in these dimensions), numpy/OpenBLAS threads on all cores.',
      'The reference DBSCAN uses convtopo\'s eps so both do identical clustering work; it still computes its own knee kNN (timed) and reports its knee eps.',
      'Memberships equal: every node (cover set, DBSCAN label) has exactly the reference\'s members and every edge is the reference\'s (KeplerMapper ids aside), compared with the first reference run\'s whole graph.',
      ...notes,
      `Load average when the section finished: ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (the machine is shared; both pipelines ran in the same window).`,
    ],
  };
}
