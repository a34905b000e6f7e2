/**
 * The sliced Wasserstein distance of Carrière, Cuturi & Oudot (2017), computed exactly:
 *
 *   SW(a, b) = (1/π) ∫_{−π/2}^{π/2} W₁(π_θ V1, π_θ V2) dθ,
 *
 * where V1 = a's points plus the diagonal projections of b's, V2 the other way round (method.md §4, finite points
 * only, as persim). persim's `sliced_wasserstein(a, b, M)` is the M-point rectangle rule of this integral
 * (directions θ_i = π(1/2 + i/M), weight 1/M; W₁ has period π, and θ + π gives the same W₁), so it converges to
 * this value as M grows.
 *
 * Along a direction u = (cos θ, sin θ) every element (x, y) of V1 or V2 projects to x cos θ + y sin θ. Two
 * projections of the same set swap order only at the one angle (mod π) where they are equal, so between
 * consecutive swap angles the sorted order of V1 and of V2 is fixed, and W₁(θ) = Σ_k |α_k cos θ + β_k sin θ|
 * with (α_k, β_k) the difference of the k-th elements of the two sorted sets. Each term integrates in closed form
 * (|R cos(θ − φ)|, see `absCosIntegral`), so the integral is a sum over sectors.
 *
 * Like Carrière et al.'s algorithm we sweep θ once: the events (swap angles, O(L²) for L = |V1|) are sorted, the
 * two orders are kept up to date at each event, and only the slots whose matched pair changed are integrated up
 * to the event — O(L² log L) time. Events closer than `EVENT_TOL` are handled together (collinear points, the
 * diagonal projections that all meet at θ = −π/4), re-sorting the elements involved among their own slots by their
 * order in the next sector; the value is exact up to rounding.
 */
import type { Diagram } from '../types';
import { slicedWasserstein } from './diagramDistance';

/** Angles this close (radians) count as one event; far above atan2's rounding, far below any visible effect. */
const EVENT_TOL = 1e-11;

const HALF_PI = Math.PI / 2;

/** ∫_{−π/2}^{x} |cos t| dt: 2 per half-turn, and 1 − cos r inside the current one. Continuous and increasing. */
function absCosPrimitive(x: number): number {
  const shifted = x + HALF_PI;
  const turns = Math.floor(shifted / Math.PI);
  const r = shifted - turns * Math.PI;
  return 2 * turns + 1 - Math.cos(r);
}

/** ∫_{θ0}^{θ1} |α cos θ + β sin θ| dθ = R ∫ |cos(θ − φ)| dθ with R = hypot(α, β), φ = atan2(β, α). */
function absCosIntegral(alpha: number, beta: number, t0: number, t1: number): number {
  if (alpha === 0 && beta === 0) return 0;
  const phi = Math.atan2(beta, alpha);
  return Math.hypot(alpha, beta) * (absCosPrimitive(t1 - phi) - absCosPrimitive(t0 - phi));
}

/** One set of projected elements (x_i, y_i), its swap events and its current sorted order. */
class SweptSet {
  readonly order: Int32Array; // order[slot] = element
  readonly slotOf: Int32Array;
  constructor(readonly x: Float64Array, readonly y: Float64Array) {
    const L = x.length;
    this.order = new Int32Array(L);
    this.slotOf = new Int32Array(L);
  }

  value(i: number, c: number, s: number): number {
    return this.x[i] * c + this.y[i] * s;
  }

  sortAt(theta: number): void {
    const c = Math.cos(theta), s = Math.sin(theta);
    const idx = Array.from({ length: this.x.length }, (_, i) => i).sort((i, j) => this.value(i, c, s) - this.value(j, c, s));
    idx.forEach((e, k) => {
      this.order[k] = e;
      this.slotOf[e] = k;
    });
  }

  /** Swap angles in (−π/2, π/2) of every pair of distinct elements, as (angle, i, j) in three arrays. */
  events(): { angle: Float64Array; i: Int32Array; j: Int32Array; count: number } {
    const L = this.x.length, x = this.x, y = this.y;
    const cap = (L * (L - 1)) / 2;
    const angle = new Float64Array(cap), ei = new Int32Array(cap), ej = new Int32Array(cap);
    let count = 0;
    for (let i = 1; i < L; i++) {
      for (let j = 0; j < i; j++) {
        const da = x[i] - x[j], db = y[i] - y[j];
        if (da === 0 && db === 0) continue; // equal elements never swap (and their order does not matter)
        // da cos θ + db sin θ = 0 ⇔ θ = atan(−da / db); db = 0 puts the swap on the boundary ±π/2 (no event inside).
        if (db === 0) continue;
        const t = Math.atan(-da / db);
        if (t <= -HALF_PI + EVENT_TOL || t >= HALF_PI - EVENT_TOL) continue;
        angle[count] = t;
        ei[count] = i;
        ej[count] = j;
        count++;
      }
    }
    return { angle, i: ei, j: ej, count };
  }
}

/** Sort keys[0..cnt) ascending (insertion sort: groups are tiny except the diagonal's), carrying payload along. */
function sortSmall(keys: Int32Array | Float64Array, payload: Int32Array | null, cnt: number): void {
  if (cnt > 32) {
    const idx = Array.from({ length: cnt }, (_, i) => i).sort((p, q) => keys[p] - keys[q]);
    const k2 = idx.map((i) => keys[i]);
    const p2 = payload ? idx.map((i) => payload[i]) : null;
    for (let t = 0; t < cnt; t++) {
      keys[t] = k2[t];
      if (payload) payload[t] = p2![t];
    }
    return;
  }
  for (let t = 1; t < cnt; t++) {
    const k = keys[t], p = payload ? payload[t] : 0;
    let u = t - 1;
    for (; u >= 0 && keys[u] > k; u--) {
      keys[u + 1] = keys[u];
      if (payload) payload[u + 1] = payload[u];
    }
    keys[u + 1] = k;
    if (payload) payload[u + 1] = p;
  }
}

/**
 * Indices that sort `angles` (all in (−π/2, π/2)) ascending: an LSD radix sort on the bits of angle + 2, which are
 * positive doubles whose IEEE bit patterns order like their values (a comparator sort of ~10⁶ events is 10× slower).
 */
function argsortAngles(angles: Float64Array): Int32Array {
  const N = angles.length;
  const keys = new Float64Array(N);
  for (let e = 0; e < N; e++) keys[e] = angles[e] + 2;
  const words = new Uint32Array(keys.buffer); // little-endian: word 2e is the low half, 2e + 1 the high half
  let idx = new Int32Array(N), tmp = new Int32Array(N);
  for (let e = 0; e < N; e++) idx[e] = e;
  const counts = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1, shift = (pass & 1) * 16;
    counts.fill(0);
    for (let e = 0; e < N; e++) counts[((words[2 * idx[e] + word] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) counts[b + 1] += counts[b];
    for (let e = 0; e < N; e++) {
      const id = idx[e];
      tmp[counts[(words[2 * id + word] >>> shift) & 0xffff]++] = id;
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  return idx;
}

function splitFinite(dgm: Diagram, name: string): { birth: number[]; death: number[] } {
  const birth: number[] = [], death: number[] = [];
  for (const p of dgm) {
    if (!Number.isFinite(p.birth) || Number.isNaN(p.death) || p.death < p.birth) {
      throw new Error(`diagram ${name}: pair [${p.birth}, ${p.death}) is not a valid bar (finite birth, death ≥ birth or Infinity)`);
    }
    if (p.death === Infinity) continue;
    birth.push(p.birth);
    death.push(p.death);
  }
  return { birth, death };
}

/** Carrière, Cuturi & Oudot's sliced Wasserstein distance (1/π)∫W₁ dθ, exactly (finite points only). */
export function slicedWassersteinExact(a: Diagram, b: Diagram): number {
  const A = splitFinite(a, 'a'), B = splitFinite(b, 'b');
  const n = A.birth.length, m = B.birth.length, L = n + m;
  if (L === 0) return 0;
  // V1 = a's points then the diagonal projections (μ, μ), μ = |b + d| / 2, of b's; V2 = b's points then a's.
  const x1 = new Float64Array(L), y1 = new Float64Array(L), x2 = new Float64Array(L), y2 = new Float64Array(L);
  for (let k = 0; k < n; k++) {
    x1[k] = A.birth[k];
    y1[k] = A.death[k];
    x2[m + k] = y2[m + k] = Math.abs(A.birth[k] + A.death[k]) / 2;
  }
  for (let k = 0; k < m; k++) {
    x2[k] = B.birth[k];
    y2[k] = B.death[k];
    x1[n + k] = y1[n + k] = Math.abs(B.birth[k] + B.death[k]) / 2;
  }
  const sets = [new SweptSet(x1, y1), new SweptSet(x2, y2)];

  // All events of both sets on one time line; which set an event belongs to is its position in the merged order.
  const ev = sets.map((s) => s.events());
  const total = ev[0].count + ev[1].count;
  const angles = new Float64Array(total);
  angles.set(ev[0].angle.subarray(0, ev[0].count), 0);
  angles.set(ev[1].angle.subarray(0, ev[1].count), ev[0].count);
  const byAngle = argsortAngles(angles);

  // Groups of events (runs closer than EVENT_TOL), and the sectors between them.
  const groupStart: number[] = [];
  for (let g = 0; g < total; g++) {
    if (g === 0 || angles[byAngle[g]] - angles[byAngle[g - 1]] > EVENT_TOL) groupStart.push(g);
  }
  groupStart.push(total);
  const groups = groupStart.length - 1;
  const groupAngle = (g: number) => angles[byAngle[groupStart[g]]];
  /** A representative angle of the sector after group g (−1: the first sector). */
  const sectorMid = (g: number) => {
    const lo = g < 0 ? -HALF_PI : angles[byAngle[groupStart[g + 1] - 1]];
    const hi = g + 1 < groups ? groupAngle(g + 1) : HALF_PI;
    return (lo + hi) / 2;
  };

  for (const s of sets) s.sortAt(sectorMid(-1));
  // Slot k's current term started at since[k]; its integral is added when the pair at slot k changes.
  const since = new Float64Array(L).fill(-HALF_PI);
  let integral = 0;
  const close = (k: number, theta: number) => {
    const e1 = sets[0].order[k], e2 = sets[1].order[k];
    integral += absCosIntegral(x1[e1] - x2[e2], y1[e1] - y2[e2], since[k], theta);
    since[k] = theta;
  };

  // Scratch for one group: the elements involved (per set) and their slots; most groups are a single swap.
  const els = [new Int32Array(L), new Int32Array(L)];
  const count = [0, 0];
  const mark = [new Uint8Array(L), new Uint8Array(L)];
  const slots = new Int32Array(L);
  const vals = new Float64Array(L);
  const n0 = ev[0].count;
  const add = (set: number, el: number) => {
    if (!mark[set][el]) {
      mark[set][el] = 1;
      els[set][count[set]++] = el;
    }
  };
  for (let g = 0; g < groups; g++) {
    const theta = groupAngle(g);
    for (let t = groupStart[g]; t < groupStart[g + 1]; t++) {
      const e = byAngle[t];
      const set = e < n0 ? 0 : 1, k = e < n0 ? e : e - n0;
      add(set, ev[set].i[k]);
      add(set, ev[set].j[k]);
    }
    const mid = sectorMid(g);
    const c = Math.cos(mid), s = Math.sin(mid);
    for (let set = 0; set < 2; set++) {
      const cnt = count[set];
      if (cnt === 0) continue;
      const S = sets[set], E = els[set];
      // The elements that swap here keep the slots they occupy between them, re-sorted by the next sector's order.
      for (let t = 0; t < cnt; t++) {
        slots[t] = S.slotOf[E[t]];
        vals[t] = S.value(E[t], c, s);
      }
      sortSmall(slots, null, cnt);
      sortSmall(vals, E, cnt);
      for (let t = 0; t < cnt; t++) {
        const k = slots[t], el = E[t];
        mark[set][el] = 0;
        if (S.order[k] !== el) {
          close(k, theta);
          S.order[k] = el;
          S.slotOf[el] = k;
        }
      }
      count[set] = 0;
    }
  }
  for (let k = 0; k < L; k++) close(k, HALF_PI);
  return integral / Math.PI;
}

/** The sliced Wasserstein distances the page offers: persim's M-direction mean, or the exact integral above. */
export const SLICED_KINDS = ['persim', 'exact'] as const;
export type SlicedKind = (typeof SLICED_KINDS)[number];

export function slicedDistance(kind: SlicedKind, a: Diagram, b: Diagram, M: number): number {
  return kind === 'exact' ? slicedWassersteinExact(a, b) : slicedWasserstein(a, b, M);
}
