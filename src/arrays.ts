/** Small array helpers every stage uses (declared once; pure, like random.ts). */

/** 0, 1, …, n − 1. */
export function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Index of the largest value (the first on ties; 0 for an empty array). */
export function argmax(v: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
  return b;
}
