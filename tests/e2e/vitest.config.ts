import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time (two cores), generous timeouts (software WebGPU, wasm warm-ups).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
