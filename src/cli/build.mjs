#!/usr/bin/env node
/**
 * Builds the `convtopo` CLI bundle into dist-cli/ with esbuild (run by `npm install` / `npm ci` through the
 * `prepare` script, and by launch.mjs whenever a source file is newer than the bundle). Not committed.
 *
 * - Entry dist-cli/convtopo.js (src/cli/bin.ts); each command's module is a separate chunk loaded on demand, so
 *   `convtopo --help` parses only the registry.
 * - npm packages stay external: TF.js, onnxruntime-web and the rest load from node_modules at run time, only when a
 *   command imports them, and find their own .wasm files there as they do under tsx.
 * - Worker files: a module in the bundle that names a file as `new URL('./x.worker.ts', import.meta.url)` (the
 *   pattern Vite and Node's worker_threads both understand) gets that file built as an extra entry point next to
 *   the bundle, and the reference rewritten to its built name. Discovery repeats until no new worker turns up.
 * - dist-cli/meta.json lists the source files the bundle was made from and when, for launch.mjs's freshness check.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT_DIR = join(ROOT, 'dist-cli');
const ENTRY = join(ROOT, 'src', 'cli', 'bin.ts');
const WORKER_REF = /new\s+URL\(\s*(['"])(\.{1,2}\/[^'"]+?\.[cm]?[jt]s)\1\s*,\s*import\.meta\.url\s*\)/g;

/** Output name of a worker entry: its base name, made unique by its folder when two share one. */
function workerName(file, taken) {
  let name = basename(file).replace(/\.[cm]?[jt]s$/, '');
  if (taken.has(name)) name = relative(join(ROOT, 'src'), file).replace(/\.[cm]?[jt]s$/, '').replace(/[\\/]/g, '_');
  return name;
}

async function buildOnce(outdir, workers) {
  // Imported here so that launch.mjs's freshness check does not load esbuild.
  const { build } = await import('esbuild');
  const found = new Map(workers);
  const rewrite = {
    name: 'worker-entries',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!WORKER_REF.test(text)) return undefined;
        WORKER_REF.lastIndex = 0;
        const contents = text.replace(WORKER_REF, (match, _q, ref) => {
          const file = resolve(dirname(args.path), ref);
          // A reference to no file (an example in a comment) stays as it is.
          if (!existsSync(file)) return match;
          if (!found.has(file)) found.set(file, workerName(file, new Set(found.values())));
          // Every output sits flat in dist-cli/, so the built worker is a sibling of whichever file refers to it.
          return `new URL('./${found.get(file)}.js', import.meta.url)`;
        });
        return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
  const entryPoints = { convtopo: ENTRY };
  for (const [file, name] of workers) entryPoints[name] = file;
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    define: { __CONVTOPO_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version) },
    plugins: [rewrite],
  });
  return { result, found };
}

/** Build the bundle; returns the output directory. Writes into a temporary folder first, then moves the files in
 * one by one (meta.json last), so a CLI started meanwhile runs either the old build or the new one. */
export async function buildCli() {
  const started = Date.now();
  const tmp = join(OUT_DIR, `.build-${process.pid}-${started}`);
  rmSync(tmp, { recursive: true, force: true });
  let workers = new Map();
  let out;
  for (;;) {
    out = await buildOnce(tmp, workers);
    if (out.found.size === workers.size) break;
    workers = out.found;
  }
  // The sources, plus what shapes the build itself (this script, package.json's version).
  const inputs = [...Object.keys(out.result.metafile.inputs).map((p) => relative(ROOT, resolve(ROOT, p))), 'src/cli/build.mjs', 'package.json'];
  const main = join(tmp, 'convtopo.js');
  writeFileSync(main, '#!/usr/bin/env node\n' + readFileSync(main, 'utf8'));
  chmodSync(main, 0o755);
  mkdirSync(OUT_DIR, { recursive: true });
  const produced = new Set(readdirSync(tmp));
  for (const f of produced) renameSync(join(tmp, f), join(OUT_DIR, f));
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(OUT_DIR, 'meta.json.tmp'), JSON.stringify({ builtAt: started, inputs }) + '\n');
  renameSync(join(OUT_DIR, 'meta.json.tmp'), join(OUT_DIR, 'meta.json'));
  // Chunks of earlier builds are kept a while for a CLI that may still be loading them, then removed.
  for (const f of readdirSync(OUT_DIR)) {
    if (produced.has(f) || f === 'meta.json') continue;
    const p = join(OUT_DIR, f);
    try {
      if (Date.now() - statSync(p).mtimeMs > 10 * 60_000) rmSync(p, { recursive: true, force: true });
    } catch {
      // Another build removed it first.
    }
  }
  return OUT_DIR;
}

/** True when the bundle is missing or a file it was built from changed since. */
export function isStale() {
  let meta;
  try {
    meta = JSON.parse(readFileSync(join(OUT_DIR, 'meta.json'), 'utf8'));
  } catch {
    return true;
  }
  for (const f of meta.inputs) {
    try {
      if (statSync(join(ROOT, f)).mtimeMs > meta.builtAt) return true;
    } catch {
      return true;
    }
  }
  return false;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildCli().then(
    (dir) => console.log(`convtopo CLI bundle built in ${relative(process.cwd(), dir) || '.'}`),
    (err) => {
      if (err?.code === 'ERR_MODULE_NOT_FOUND' && /esbuild/.test(String(err.message))) {
        // An install without devDependencies: launch.mjs will say so on first use.
        console.error('convtopo CLI bundle: esbuild is not installed; the bundle will be built on first use');
        return;
      }
      console.error(`convtopo CLI bundle: build failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
