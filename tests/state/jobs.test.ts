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
    expect(t.request('k', 'job', run, () => {}).promise).resolves.toBe(42);
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
    let ctxSeen: { cancelled(): boolean } | null = null;
    const d = deferred<number>();
    const r = t.request('k', 'job', (ctx) => ((ctxSeen = ctx), d.promise), () => {});
    expect(ctxSeen!.cancelled()).toBe(false);
    r.release();
    expect(ctxSeen!.cancelled()).toBe(true);
    d.resolve(0);
    await expect(r.promise).rejects.toMatchObject({ name: 'AbortError' });
  });
});
