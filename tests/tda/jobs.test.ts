// The TDA worker's Comlink-free API (src/tda/jobs.ts): the core's async persistence under a job id, with progress
// and cancel, exactly as workers/tda.worker.ts exposes it.
import { describe, expect, it } from 'vitest';
import { isAbort } from '../../src/abort';
import { createTdaJobApi } from '../../src/tda/jobs';
import { nodePersistenceThreads, type NodePersistenceThreads } from '../../src/tda/nodeThreads';
import { computePersistence } from '../../src/tda/ripser';
import { gaussianCloud, SEED } from './helpers';

describe(`TDA job API (seed ${SEED}, TDA_SEED=${SEED} to reproduce)`, () => {
  it('gives computePersistence\'s diagrams, with progress in [0, 1] ending at 1', async () => {
    const api = createTdaJobApi();
    const cloud = gaussianCloud(SEED, 120, 4);
    const seen: number[] = [];
    const r = await api.persistence(cloud, { maxdim: 1 }, 1, (f) => seen.push(f));
    expect(r.dgms).toEqual(computePersistence(cloud, { maxdim: 1 }).dgms);
    expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });

  it('cancel(jobId) rejects that run with an AbortError; another job and later runs are unaffected', async () => {
    const api = createTdaJobApi();
    const big = gaussianCloud(SEED + 1, 400, 6);
    const small = gaussianCloud(SEED + 2, 60, 3);
    const cancelled = api.persistence(big, { maxdim: 2 }, 1);
    const other = api.persistence(small, { maxdim: 1 }, 2);
    setTimeout(() => api.cancel(1), 30);
    await expect(cancelled).rejects.toSatisfy(isAbort);
    expect((await other).dgms).toEqual(computePersistence(small, { maxdim: 1 }).dgms);
    expect((await api.persistence(small, { maxdim: 1 }, 1)).dgms).toEqual((await other).dgms);
  });

  it('threads: 2 runs on the helper the worker starts (once, kept for the next run) and gives the same diagrams', async () => {
    const started: NodePersistenceThreads[] = [];
    const api = createTdaJobApi((threads) => {
      const t = nodePersistenceThreads(threads);
      started.push(t);
      return t;
    });
    const cloud = gaussianCloud(SEED + 3, 500, 8);
    const one = computePersistence(cloud, { maxdim: 1 });
    try {
      for (let run = 0; run < 2; run++) expect((await api.persistence(cloud, { maxdim: 1, threads: 2 }, 1)).dgms).toEqual(one.dgms);
      expect(started.map((t) => t.helpers)).toEqual([1]);
      await expect(api.persistence(cloud, { threads: 0 }, 1)).rejects.toThrow(/threads must be an integer ≥ 1/);
    } finally {
      await Promise.all(started.map((t) => t.close()));
    }
  });
});
