import { defineConfig } from 'vitest/config'

// The conformance tests decode and re-encode 2^20-entry lists (up to 1 MiB each).
export default defineConfig({ test: { testTimeout: 30_000 } })
