/**
 * A helper of the TDA worker (started by it, one per extra thread, only when the page is cross-origin isolated and
 * a run asks for `threads` > 1): runs its share of each task of one persistence computation (src/tda/parallel.ts)
 * on the shared arrays it is sent. Nothing is posted back: the results are in shared memory.
 */
import { runTask, type PhTask } from '../src/tda/parallel';

self.onmessage = (e: MessageEvent<PhTask>) => {
  runTask(e.data);
};
