// Starts phThread.worker.ts from the sources (tsx, vitest), where a worker thread has no TypeScript loader of its
// own: registers tsx's require hook in this thread, then loads the entry named in workerData. The CLI's bundle
// starts its built .js entry directly and never uses this file (see nodeThreads.ts).
const { workerData } = require('node:worker_threads');
const { fileURLToPath } = require('node:url');
require('tsx/cjs/api').register();
require(fileURLToPath(workerData.entry));
