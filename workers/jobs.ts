/**
 * Cancellable jobs inside a Comlink worker. A worker is single-threaded, so a cancel message can only arrive while
 * the job yields: long loops call `checkpoint(jobId)` every ~50 ms of work, which yields to the event loop and throws
 * an AbortError if the job was cancelled meanwhile. The worker stays usable after a cancel.
 */

export class AbortError extends Error {
  override name = 'AbortError';
  constructor(message = 'the job was cancelled') {
    super(message);
  }
}

const cancelled = new Set<number>();

export function cancelJob(jobId: number): void {
  cancelled.add(jobId);
}

export function isCancelled(jobId: number): boolean {
  return cancelled.has(jobId);
}

/** Forget a finished job's cancel flag. */
export function endJob(jobId: number): void {
  cancelled.delete(jobId);
}

// MessageChannel yields faster than setTimeout(0), which browsers clamp to 4 ms after nesting.
const channel = typeof MessageChannel !== 'undefined' ? new MessageChannel() : null;
const waiting: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();

function yieldToEventLoop(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((r) => {
    waiting.push(r);
    channel.port2.postMessage(0);
  });
}

/** Yield, then throw AbortError if `jobId` was cancelled. */
export async function checkpoint(jobId: number): Promise<void> {
  await yieldToEventLoop();
  if (cancelled.has(jobId)) throw new AbortError();
}

/** Run `job` with its cancel flag cleared afterwards, whatever the outcome. */
export async function runJob<T>(jobId: number, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } finally {
    endJob(jobId);
  }
}
