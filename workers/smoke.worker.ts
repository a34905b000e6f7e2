/**
 * The worker round-trip the page runs at start-up (and the end-to-end tests check): a running sum over a
 * Float32Array, in chunks, with progress and cancel. The result is transferred back, not copied.
 */
import * as Comlink from 'comlink';
import { cancelJob, checkpoint, runJob } from './jobs';

export interface SmokeApi {
  /** out[i] = in[0] + … + in[i], accumulated in float64. */
  runningSum(input: Float32Array, jobId: number, onProgress?: (fraction: number) => void, chunk?: number): Promise<Float32Array>;
  cancel(jobId: number): void;
}

const api: SmokeApi = {
  async runningSum(input, jobId, onProgress, chunk = 1 << 16) {
    return runJob(jobId, async () => {
      const out = new Float32Array(input.length);
      let acc = 0;
      for (let start = 0; start < input.length; start += chunk) {
        const end = Math.min(input.length, start + chunk);
        for (let i = start; i < end; i++) {
          acc += input[i];
          out[i] = acc;
        }
        onProgress?.(end / input.length);
        await checkpoint(jobId);
      }
      return Comlink.transfer(out, [out.buffer]);
    });
  },
  cancel: cancelJob,
};

Comlink.expose(api);
