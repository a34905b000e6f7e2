/**
 * Approximate bytes a result keeps alive, for the job cache's budget. Typed arrays count their whole buffer, once
 * even when several views share it; plain arrays and objects count a small fixed overhead per slot, which is what
 * dominates a persistence diagram (one {birth, death} object per pair).
 */

const OBJECT_BYTES = 32;
const SLOT_BYTES = 8;

export function byteSize(value: unknown): number {
  const seen = new Set<unknown>();
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || v === undefined) continue;
    const t = typeof v;
    if (t === 'number' || t === 'boolean') total += SLOT_BYTES;
    else if (t === 'string') total += 2 * (v as string).length + OBJECT_BYTES;
    else if (t !== 'object' || seen.has(v)) continue;
    else if (ArrayBuffer.isView(v)) {
      if (!seen.has(v.buffer)) {
        seen.add(v.buffer);
        total += v.buffer.byteLength;
      }
    } else if (v instanceof ArrayBuffer) {
      seen.add(v);
      total += v.byteLength;
    } else {
      seen.add(v);
      const values = Array.isArray(v) ? v : v instanceof Map ? [...v.keys(), ...v.values()] : Object.values(v as object);
      total += OBJECT_BYTES + SLOT_BYTES * values.length;
      // Numbers are counted in their slot; only nested things go on the stack.
      for (const x of values) if (x !== null && typeof x === 'object') stack.push(x);
      else if (typeof x === 'string') total += 2 * x.length;
    }
  }
  return total;
}

/**
 * byteSize of a persistence result, from its arrays' lengths instead of a walk over every {birth, death} pair:
 * the same number (tests/state/byteSize.test.ts), without a main-thread pass over ~10 000 objects per layer (and
 * 17 times that for the all-layer result) as each result arrives. Any other field falls back to byteSize.
 */
export function persistenceBytes(r: { dgms: readonly (readonly unknown[])[] } & Record<string, unknown>): number {
  let total = OBJECT_BYTES + SLOT_BYTES * Object.keys(r).length;
  const seen = new Set<unknown>();
  for (const [key, v] of Object.entries(r)) {
    if (key === 'dgms') {
      total += OBJECT_BYTES + SLOT_BYTES * r.dgms.length;
      // A pair is an object of two number slots (birth, death).
      for (const d of r.dgms) total += OBJECT_BYTES + SLOT_BYTES * d.length + d.length * (OBJECT_BYTES + 2 * SLOT_BYTES);
    } else if (v !== null && typeof v === 'object') {
      // cocycles, landmarks: a few typed arrays and numbers (each buffer once, as byteSize counts them).
      const values = Object.values(v);
      total += OBJECT_BYTES + SLOT_BYTES * values.length;
      for (const x of values) {
        if (ArrayBuffer.isView(x)) {
          if (!seen.has(x.buffer)) {
            seen.add(x.buffer);
            total += x.buffer.byteLength;
          }
        } else if (x !== null && typeof x === 'object') total += byteSize(x);
        else if (typeof x === 'string') total += 2 * x.length;
      }
    } else if (typeof v === 'string') total += 2 * v.length;
  }
  return total;
}

/** byteSize of a list of persistence results (one per layer). */
export function persistenceListBytes(list: readonly Parameters<typeof persistenceBytes>[0][]): number {
  return list.reduce((s, r) => s + persistenceBytes(r), OBJECT_BYTES + SLOT_BYTES * list.length);
}
