import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// Cross-origin isolation (COOP + COEP), so SharedArrayBuffer exists and tfjs-wasm runs its threaded SIMD binary on
// every core. Everything the page loads is same-origin, so require-corp blocks nothing. Static hosts that cannot
// send these headers still work: wasm then runs single-threaded and the backend panel says so.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * What broke the minified build with threads: tfjs-backend-wasm starts its pthread workers from
 * `WasmBackendModuleThreadedSimd.toString()`, i.e. the factory's source without its closure. The factory reads the
 * enclosing `_scriptDir` through `typeof _scriptDir !== "undefined" && _scriptDir`; the minifier, seeing a declared
 * variable, shortens that to a bare (renamed) reference, which throws "e is not defined" in every pthread worker.
 * Dropping the enclosing declaration makes `_scriptDir` a free global, so the typeof guard survives minification.
 * (In a bundle `document.currentScript` is null anyway, so the value was always undefined in the page.)
 */
function selfContainedThreadedWasm(): Plugin {
  const declaration = /var _scriptDir = typeof document !== 'undefined' && document\.currentScript \? document\.currentScript\.src : undefined;\s*if \(typeof __filename !== 'undefined'\) _scriptDir = _scriptDir \|\| __filename;/;
  return {
    name: 'convtopo:self-contained-threaded-wasm',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id.split('?')[0])) return null;
      if (!declaration.test(code)) this.error(`${id}: the _scriptDir declaration changed; re-check the threaded wasm fix in vite.config.ts`);
      return { code: code.replace(declaration, ''), map: null };
    },
  };
}

export default defineConfig({
  plugins: [react(), selfContainedThreadedWasm()],
  base: './',
  // The model worker is a separate bundle: it needs the fix too (config.plugins reach workers only in dev).
  worker: { format: 'es', plugins: () => [selfContainedThreadedWasm()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
