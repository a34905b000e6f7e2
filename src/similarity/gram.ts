/** The Gram matrix X·Xᵀ of n rows of length d (row-major), summed in float64; symmetric, so half is computed. */
export function gram(data: Float32Array | Float64Array, n: number, d: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j <= i; j++) {
      const oj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += data[oi + k] * data[oj + k];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}
