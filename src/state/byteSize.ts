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
