/**
 * A Node worker thread of nodeThreads.ts: runs its share of each task the computing thread posts (chunks of rows
 * taken from the task's shared counter, see parallel.ts). Nothing is sent back: the results are in shared memory.
 * Started from the sources through phThread.boot.cjs (which registers tsx first); in the CLI's esbuild bundle as
 * its own built entry point.
 */
import { parentPort } from 'node:worker_threads';
import { runTask, type PhTask } from './parallel';

parentPort!.on('message', (task: PhTask) => {
  runTask(task);
});
