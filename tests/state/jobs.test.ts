import { describe, expect, it } from 'vitest';
import { JobTracker } from '../../src/state/jobs';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

describe('job tracker', () => {
  it('shares one running job between two requests and caches its result', async () => {
    const t = new JobTracker();
    let runs = 0;
    const d = deferred<number>();
    const run = () => (runs++, d.promise);
    const a = t.request('k', 'job', run, () => {});
    const b = t.request('k', 'job', run, () => {});
    expect(t.jobs()).toHaveLength(1);
    d.resolve(42);
    expect(await a.promise).toBe(42);
    expect(await b.promise).toBe(42);
    expect(runs).toBe(1);
    expect(t.jobs()).toHaveLength(0);
    await expect(t.request('k', 'job', run, () => {}).promise).resolves.toBe(42);
    expect(runs).toBe(1);
  });

  it('cancels the worker job when the last waiter leaves, and rejects with AbortError', async () => {
    const t = new JobTracker();
    const cancelled: number[] = [];
    const d = deferred<number>();
    let seenId = -1;
    const a = t.request('k', 'job', (ctx) => ((seenId = ctx.jobId), d.promise), (id) => cancelled.push(id));
    const b = t.request('k', 'job', () => d.promise, (id) => cancelled.push(id));
    a.release();
    expect(cancelled).toEqual([]);
    b.release();
    expect(cancelled).toEqual([seenId]);
    d.resolve(1);
    await expect(a.promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(t.has('k')).toBe(false);
  });

  it('does not cache a failure, so the next request runs again', async () => {
    const t = new JobTracker();
    const first = t.request('k', 'job', () => Promise.reject(new Error('boom')), () => {});
    await expect(first.promise).rejects.toThrow('boom');
    const second = t.request('k', 'job', () => Promise.resolve(7), () => {});
    expect(await second.promise).toBe(7);
  });

  it('tells a running job it was cancelled, so a loop of sub-jobs can stop', async () => {
    const t = new JobTracker();
    let ctxSeen: { signal: AbortSignal } | null = null;
    const d = deferred<number>();
    const r = t.request('k', 'job', (ctx) => ((ctxSeen = ctx), d.promise), () => {});
    expect(ctxSeen!.signal.aborted).toBe(false);
    r.release();
    expect(ctxSeen!.signal.aborted).toBe(true);
    d.resolve(0);
    await expect(r.promise).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('job cache budget', () => {
  const mb = (n: number) => new Float64Array((n * 1024 * 1024) / 8);

  it('evicts the least recently used results first, by bytes', async () => {
    const t = new JobTracker(10 * 1024 * 1024);
    for (const k of ['a', 'b', 'c']) await t.request(k, k, () => Promise.resolve(mb(3)), () => {}).promise;
    expect(t.bytes()).toBeGreaterThanOrEqual(9 * 1024 * 1024);
    t.peek('a'); // a is now more recent than b
    await t.request('d', 'd', () => Promise.resolve(mb(3)), () => {}).promise;
    expect(t.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((k) => t.has(k))).toBe(true);
    expect(t.bytes()).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it('keeps a result larger than the budget (a view shows it) but drops everything older', async () => {
    const t = new JobTracker(4 * 1024 * 1024);
    t.put('small', mb(1));
    t.put('big', mb(6));
    expect(t.has('small')).toBe(false);
    expect(t.has('big')).toBe(true);
  });

  it('never evicts a running job: it finishes and is cached while others are evicted around it', async () => {
    const t = new JobTracker(5 * 1024 * 1024);
    const d = deferred<Float64Array>();
    const running = t.request('run', 'run', () => d.promise, () => {});
    for (let i = 0; i < 5; i++) t.put(`x${i}`, mb(2));
    expect(t.jobs().map((j) => j.key)).toEqual(['run']);
    d.resolve(mb(2));
    expect((await running.promise).length).toBe((2 * 1024 * 1024) / 8);
    expect(t.has('run')).toBe(true);
  });

  it('counts every typed array once, wherever it sits in a result', async () => {
    const { byteSize } = await import('../../src/state/byteSize');
    const shared = new Float32Array(1000);
    const result = { layers: [{ data: shared, idx: new Int32Array(500) }, { data: shared.subarray(0, 10), idx: new Int32Array(500) }] };
    const b = byteSize(result);
    expect(b).toBeGreaterThanOrEqual(4000 + 2 * 2000);
    expect(b).toBeLessThan(4000 + 2 * 2000 + 1000);
    // A diagram of 1000 pairs costs more than its 16 000 bytes of numbers.
    expect(byteSize(Array.from({ length: 1000 }, (_, i) => ({ birth: i, death: i + 1 })))).toBeGreaterThan(16_000);
  });
});
