/**
 * The minified build's threaded wasm (issue 15): tfjs starts its pthread workers from the factory's toString(), so
 * the factory must not close over anything the minifier can rename. The vite.config.ts plugin drops the enclosing
 * `_scriptDir`; minified, the factory then still guards the free global with typeof, as the pthread workers need.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { transformSync } from 'esbuild';
import { selfContainedThreadedWasm } from '../../vite.config';

const FILE = 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

/** The factory as the bundle holds it: the file minified as a CommonJS module, then its export's source text. */
function minifiedFactorySource(code: string): string {
  const min = transformSync(`(function (exports, module) {${code}\n})(exports, module);`, { minify: true, loader: 'js' }).code;
  const module = { exports: {} as unknown };
  runInNewContext(min, { module, exports: module.exports, document: undefined, process: undefined });
  return String(module.exports);
}

describe('threaded wasm in the minified build', () => {
  it('the factory keeps a typeof-guarded free _scriptDir once the plugin has run', () => {
    const original = readFileSync(FILE, 'utf8');
    const plugin = selfContainedThreadedWasm();
    const transform = plugin.transform as (this: { error(m: string): never }, code: string, id: string) => { code: string } | null;
    const ctx = { error: (m: string): never => { throw new Error(m); } };
    const fixed = transform.call(ctx, original, `/x/${FILE}`)!.code;
    expect(fixed).not.toMatch(/var _scriptDir\b/);
    expect(minifiedFactorySource(fixed)).toMatch(/typeof _scriptDir\s*(!==?\s*"undefined"|<\s*"u")/);
    // Without the plugin the minifier renames the closure variable: the factory's text no longer says _scriptDir.
    expect(minifiedFactorySource(original)).not.toMatch(/_scriptDir/);
    expect(transform.call(ctx, 'let x = 1;', '/other/module.js')).toBeNull();
    expect(() => transform.call(ctx, 'changed', `/x/${FILE}`)).toThrow(/re-check the threaded wasm fix/);
  });
});
