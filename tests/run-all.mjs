#!/usr/bin/env node
// `npm test`: type-check, lint, unit + oracle tests (vitest in Node), production build, browser tests (Chromium).
// Ends with one line "N passed, N failed" (", N skipped" when any) and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const OUT = 'test-results';
mkdirSync(OUT, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;

function step(title, cmd, args) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}

/** A step that is one test of its own (type-check, build). */
function gate(title, cmd, args) {
  const ok = step(title, cmd, args);
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAILED: ${title}`);
  }
  return ok;
}

/** A vitest run: count its tests from the JSON report; a run that crashed without a report is one failure. */
function vitest(title, args, report) {
  rmSync(report, { force: true });
  const ok = step(title, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
  if (!existsSync(report)) {
    failed++;
    console.log(`FAILED: ${title} produced no report`);
    return;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed to load has no tests but is a failure all the same.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  failed += brokenFiles;
  if (!ok && r.numFailedTests === 0 && brokenFiles === 0) {
    failed++;
    console.log(`FAILED: ${title} exited non-zero`);
  }
}

gate('type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
// ESLint with the import boundaries (eslint.config.js); the cache (keyed by file content) keeps a re-run to seconds.
gate('lint', 'npx', ['eslint', '.', '--max-warnings', '0', '--cache', '--cache-strategy', 'content', '--cache-location', `${OUT}/.eslintcache`]);
vitest('unit and oracle tests', [], `${OUT}/unit.json`);
if (gate('production build', 'npx', ['vite', 'build', '--logLevel', 'warn'])) {
  vitest('browser tests', ['-c', 'tests/e2e/vitest.config.ts'], `${OUT}/e2e.json`);
} else {
  failed++;
  console.log('FAILED: browser tests not run because the build failed');
}

console.log('');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
