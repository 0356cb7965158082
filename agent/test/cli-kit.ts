import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { runCli } from '../src/cli/main'
import { type CapturedOutput, captureOutput } from './capture-output'
import { CLINICIAN_DID, inDays, licenceClaims, type TestAgent, useTestAgent } from './harness'

/** What the CLI tests of a file share: a real agent, a scratch folder and captured output. */
export interface CliKit {
  t: TestAgent
  io: CapturedOutput
  /** The scratch folder (inside tests and hooks). */
  dir(): string
  /** Runs the CLI in-process as the board's staff, with the operator token at hand (override with `env`). */
  cli(argv: string[], env?: Record<string, string>): Promise<number>
  /** Writes a scratch file and returns its path. */
  file(name: string, content: string): string
  /** Issues a licence through the API and writes its JWT to a scratch file. */
  licenceFile(): Promise<string>
}

/**
 * Starts an agent (embedded chain, SQLite or PostgreSQL as the run says) for the calling file's CLI
 * tests, with a scratch folder, and captures stdout and stderr for each test.
 *
 * @example
 * const { cli, io } = useCliKit()
 * it('health', async () => { expect(await cli(['health'])).toBe(0); expect(io.out).toMatch(/chain id/) })
 */
export function useCliKit(): CliKit {
  const t = useTestAgent()
  const io = captureOutput()
  let dir: string | undefined
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clavis-cli-'))
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  const scratch = () => {
    if (!dir) throw new Error('The scratch folder is made in beforeAll: use it inside tests and hooks.')
    return dir
  }
  const file = (name: string, content: string) => {
    const path = join(scratch(), name)
    writeFileSync(path, content)
    return path
  }
  return {
    t,
    io,
    dir: scratch,
    file,
    cli: (argv, env = {}) =>
      runCli(argv, {
        CLAVIS_AGENT_URL: t.url,
        CLAVIS_TOKEN: t.board.token,
        CLAVIS_ADMIN_TOKEN: t.admin,
        ...env,
      }),
    async licenceFile() {
      const res = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
        token: t.board.token,
        body: {
          type: 'ClinicianLicenseCredential',
          subject: CLINICIAN_DID,
          claims: licenceClaims(),
          validUntil: inDays(90),
        },
      })
      expect(res.status).toBe(201)
      return file(`licence-${res.body.id}.jwt`, `${res.body.jwt}\n`)
    },
  }
}
