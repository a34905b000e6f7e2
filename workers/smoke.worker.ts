/**
 * The worker round-trip the page runs at start-up (and the end-to-end tests check): a running sum over a
 * Float32Array, in chunks, with progress and cancel. The result is transferred back, not copied.
 */
import * as Comlink from 'comlink';
import { jobRegistry, yielder, type JobId } from '../src/abort';

export interface SmokeApi {
  /** out[i] = in[0] + … + in[i], accumulated in float64. */
  runningSum(input: Float32Array, jobId: JobId, onProgress?: (fraction: number) => void, chunk?: number): Promise<Float32Array>;
  cancel(jobId: JobId): void;
}

const jobs = jobRegistry();
const api: SmokeApi = {
  runningSum(input, jobId, onProgress, chunk = 1 << 16) {
    return jobs.run(jobId, async (signal) => {
      const tick = yielder(signal, 0); // yield after every chunk: the page's cancel test relies on it
      const out = new Float32Array(input.length);
      let acc = 0;
      for (let start = 0; start < input.length; start += chunk) {
        const end = Math.min(input.length, start + chunk);
        for (let i = start; i < end; i++) {
          acc += input[i];
          out[i] = acc;
        }
        onProgress?.(end / input.length);
        await tick();
      }
      return Comlink.transfer(out, [out.buffer]);
    });
  },
  cancel: (jobId) => jobs.cancel(jobId),
};

Comlink.expose(api);
