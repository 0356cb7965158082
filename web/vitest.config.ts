import { defineConfig } from 'vitest/config'

// Kept apart from vite.config.ts: the tests need no SvelteKit plugin (unit tests import plain
// modules; the e2e test builds and starts the real app in child processes).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // One browser and a few servers at a time are plenty.
    fileParallelism: false,
  },
})
