import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// No COOP/COEP headers: threaded wasm broke the minified build, so tfjs-wasm runs single-threaded (SIMD still on).
export default defineConfig({
  plugins: [react()],
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
