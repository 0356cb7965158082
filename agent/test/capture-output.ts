import { afterEach, beforeEach, vi } from 'vitest'

/** What the code under test wrote to stdout and stderr since the test began (or since reset). */
export interface CapturedOutput {
  out: string
  err: string
}

/**
 * Captures process.stdout/stderr writes for each test in the calling file or describe block (hooks
 * registered here), restoring them after each test.
 *
 * @example
 * const io = captureOutput()
 * it('prints', async () => { await runCli(['health']); expect(io.out).toMatch(/chain id/) })
 */
export function captureOutput(): CapturedOutput {
  const io: CapturedOutput = { out: '', err: '' }
  beforeEach(() => {
    io.out = ''
    io.err = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      io.out += String(chunk)
      return true
    })
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      io.err += String(chunk)
      return true
    })
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })
  return io
}
