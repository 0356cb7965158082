import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each e2e file starts its own chain and database; two cores: run files one at a time.
    fileParallelism: false,
  },
})
