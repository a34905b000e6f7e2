/**
 * Remembering the backend decision between visits, so the 3–4 s probe runs once per browser and GPU: the choice is
 * stored under a key made of the user agent, the WebGPU adapter and whether the page is cross-origin isolated, and
 * a visit whose key differs probes again. The store is injected (IndexedDB in the model worker, which has no
 * localStorage; a Map in tests).
 */
import type { BackendChoice, BackendName, BackendProbe } from './backend';

export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** What is stored: the environment it was measured in, and the decision with its reasons. */
export interface RememberedBackend {
  environment: string;
  chosen: BackendName;
  probes: BackendProbe[];
  savedAt: string;
}

export const BACKEND_MEMORY_KEY = 'convtopo.backend.v2';

/** The environment a decision holds for: browser build, GPU adapter (or none), threads available. */
export function environmentKey(userAgent: string, adapter: string | null, isolated: boolean): string {
  return `${userAgent} | gpu: ${adapter ?? 'none'} | isolated: ${isolated}`;
}

/** The remembered decision when it was made in this same environment, else null (also for unreadable entries). */
export async function recall(store: KeyValueStore, environment: string): Promise<RememberedBackend | null> {
  let raw: string | null;
  try {
    raw = await store.get(BACKEND_MEMORY_KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const r = JSON.parse(raw) as RememberedBackend;
    return r && r.environment === environment && typeof r.chosen === 'string' && Array.isArray(r.probes) ? r : null;
  } catch {
    return null;
  }
}

export async function remember(store: KeyValueStore, environment: string, choice: BackendChoice, now = new Date()): Promise<void> {
  const entry: RememberedBackend = { environment, chosen: choice.chosen, probes: choice.probes, savedAt: now.toISOString() };
  try {
    await store.set(BACKEND_MEMORY_KEY, JSON.stringify(entry));
  } catch {
    // Private windows may refuse storage: the next visit simply probes again.
  }
}

/** The probes of a remembered decision, each reason saying it was measured on an earlier visit. */
export function recalledProbes(r: RememberedBackend): BackendProbe[] {
  const day = r.savedAt.slice(0, 10);
  return r.probes.map((p) =>
    p.name === r.chosen
      ? { ...p, reason: `${p.reason}; remembered from the probe of ${day} (probed again when the browser or GPU changes)` }
      : { ...p, reason: `${p.reason} (probe of ${day})` },
  );
}

/** IndexedDB as a KeyValueStore (available in workers, unlike localStorage). */
export function indexedDbStore(dbName = 'convtopo', storeName = 'kv'): KeyValueStore {
  const open = (): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(storeName);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const run = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> => {
    const db = await open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const req = op(db.transaction(storeName, mode).objectStore(storeName));
        req.onsuccess = () => resolve(req.result as T);
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  };
  return {
    get: async (key) => (await run<string | undefined>('readonly', (s) => s.get(key))) ?? null,
    set: async (key, value) => void (await run('readwrite', (s) => s.put(value, key))),
  };
}
