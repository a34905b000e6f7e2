/**
 * A cache-key part derived from a parameter object: every field, sorted by name, so a parameter added to the object
 * is in the key without anyone listing it (a forgotten field would hand out stale results).
 */
export function paramsKey(params: object): string {
  return Object.entries(params)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('|');
}
