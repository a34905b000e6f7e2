// @vitest-environment jsdom
/**
 * The hook that feeds every view: a result is handed out only for the key it was computed under. Switching the key
 * while the new job runs shows nothing (never the old result as the new one), a cached key shows at once, and a
 * result put in the cache for a key that had failed replaces the failure.
 */
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { jobs } from '../../src/state/jobs';
import { useJob } from '../../src/ui/useJob';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

const seen: { key: string | null; data: string | undefined; error: string | null }[] = [];
const pending = new Map<string, ReturnType<typeof deferred<string>>>();

function Probe({ k }: { k: string | null }) {
  const r = useJob<string>(
    k,
    'probe',
    () => {
      const d = deferred<string>();
      pending.set(k!, d);
      return d.promise;
    },
    () => {},
  );
  seen.push({ key: r.key, data: r.data, error: r.error });
  return null;
}

const prefix = `t${Math.random().toString(36).slice(2)}`;
afterEach(() => {
  cleanup();
  seen.length = 0;
  pending.clear();
});

describe('useJob', () => {
  it('never hands out the previous key’s result while the new key computes', async () => {
    const a = `${prefix}-a`;
    const b = `${prefix}-b`;
    const view = render(<Probe k={a} />);
    await act(async () => pending.get(a)!.resolve('result of a'));
    expect(seen.at(-1)).toEqual({ key: a, data: 'result of a', error: null });
    view.rerender(<Probe k={b} />);
    // Every render under key b, until b's own result arrives, has no data.
    const underB = () => seen.filter((s) => s.key === b);
    expect(underB().length).toBeGreaterThan(0);
    expect(underB().every((s) => s.data === undefined)).toBe(true);
    await act(async () => pending.get(b)!.resolve('result of b'));
    expect(seen.at(-1)).toEqual({ key: b, data: 'result of b', error: null });
    // Back to a: cached, shown on the very first render under a.
    const before = seen.length;
    view.rerender(<Probe k={a} />);
    expect(seen[before]).toEqual({ key: a, data: 'result of a', error: null });
  });

  it('a result put in the cache replaces the failure of the same key', async () => {
    const k = `${prefix}-dropped`;
    const view = render(<Probe k={k} />);
    await act(async () => pending.get(k)!.reject(new Error('drop the files again')));
    expect(seen.at(-1)).toEqual({ key: k, data: undefined, error: 'drop the files again' });
    jobs.put(k, 'the dropped files');
    view.rerender(<Probe k={k} />);
    expect(seen.at(-1)).toEqual({ key: k, data: 'the dropped files', error: null });
  });
});
