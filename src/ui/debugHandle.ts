/** `window.__convtopo`: stable handles for tests and curious users (present in every build). */
export interface DebugHandle {
  cy?: unknown;
  [key: string]: unknown;
}

export function debugHandle(): DebugHandle {
  const w = window as unknown as { __convtopo?: DebugHandle };
  w.__convtopo ??= {};
  return w.__convtopo;
}
