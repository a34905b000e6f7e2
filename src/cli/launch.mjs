#!/usr/bin/env node
/**
 * What `npm run cli` runs: the CLI bundle (dist-cli/convtopo.js), rebuilt first when it is missing or a source file
 * changed since it was built, so the command always runs the code in the working tree. Plain Node, no tsx.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { buildCli, isStale, OUT_DIR } from './build.mjs';

if (isStale()) {
  try {
    await buildCli();
  } catch (err) {
    process.stderr.write(`convtopo: cannot build the CLI bundle: ${String(err?.message ?? err).split('\n')[0]}\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(join(OUT_DIR, 'convtopo.js')).href);
