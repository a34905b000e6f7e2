// @vitest-environment jsdom
/**
 * useRunningKeys re-renders its component when a job starts or ends, never on a progress update (the App sits on
 * it, and re-rendering the whole page on every progress tick was a long main-thread task at 4000 images).
 */
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { jobs, type JobContext } from '../../src/state/jobs';
import { useRunningKeys } from '../../src/ui/useJob';

const renders: string[] = [];
function Probe() {
  renders.push(useRunningKeys());
  return null;
}
afterEach(() => cleanup());

describe('useRunningKeys', () => {
  it('changes when a job starts and ends, not when it reports progress', async () => {
    const key = `rk${Math.random().toString(36).slice(2)}`;
    render(<Probe />);
    const before = renders.length;
    let ctx!: JobContext;
    let finish!: (v: number) => void;
    let req!: ReturnType<typeof jobs.request<number>>;
    act(() => {
      req = jobs.request<number>(key, 'probe', (c) => ((ctx = c), new Promise<number>((r) => (finish = r))), () => {});
    });
    expect(renders.length).toBe(before + 1);
    expect(renders.at(-1)!.split('\n')).toContain(key);
    for (let i = 1; i < 10; i++) {
      act(() => ctx.onProgress(i / 10));
      await new Promise((r) => setTimeout(r, 110)); // past the tracker's 100 ms throttle: every update is announced
    }
    expect(jobs.jobs().find((j) => j.key === key)!.fraction).toBe(0.9);
    expect(renders.length).toBe(before + 1);
    await act(async () => {
      finish(1);
      await req.promise;
    });
    expect(renders.at(-1)!.split('\n')).not.toContain(key);
    expect(renders.length).toBe(before + 2);
    req.release();
  });
});
