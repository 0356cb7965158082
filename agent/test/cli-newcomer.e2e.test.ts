import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCliKit } from './cli-kit'
import { CLINICIAN_DID, licenceClaims } from './harness'

// What a newcomer meets in the CLI (help, typos, templates, dates, files, tokens) and the ./clavis
// executable itself, against a real agent over HTTP.

const { t, io, cli, file, licenceFile, dir: scratch } = useCliKit()

describe('what a newcomer meets', () => {
  it('--version prints the version; issue --help shows its own options and examples', async () => {
    expect(await cli(['--version'])).toBe(0)
    expect(io.out.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    io.out = ''
    expect(await cli(['issue', '--help'])).toBe(0)
    expect(io.out).toContain('Usage: clavis issue [options] <type>')
    expect(io.out).toContain('--valid-until <date>')
    expect(io.out).toContain('Examples:')
  })

  it('a typo gets a suggestion and exit 2', async () => {
    expect(await cli(['isue'])).toBe(2)
    expect(io.err).toContain('Did you mean issue?')
  })

  it('claims template prints a licence that issues as it is, and --out writes it', async () => {
    expect(await cli(['claims', 'template', 'licence'])).toBe(0)
    const claims = file('template.json', io.out)
    const out = join(scratch(), 'from-template.jwt')
    const args = ['issue', 'licence', '--subject', CLINICIAN_DID, '--claims', claims, '--out', out]
    expect(await cli([...args, '--valid-until', '2030-01-01'])).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/)
    expect(io.out).toMatch(/valid until\s+2030-01-01T00:00:00/)
    expect(await cli(['claims', 'template', 'identity', '--out', join(scratch(), 'patient.json')])).toBe(0)
    expect(JSON.parse(readFileSync(join(scratch(), 'patient.json'), 'utf8')).identityAssuranceLevel).toBe(
      'IAL2',
    )
  })

  it('every bad claim at once, each named inside the claims file', async () => {
    const claims = file('two-bad.json', JSON.stringify({ name: licenceClaims().name }))
    const code = await cli(['issue', 'licence', '--subject', CLINICIAN_DID, '--claims', claims, '--json'])
    expect(code).toBe(1)
    const { error } = JSON.parse(io.out)
    expect(error.code).toBe('invalid_claims')
    const paths = error.issues.map((i: { path: string }) => i.path)
    for (const field of ['profession', 'licenseNumber', 'jurisdiction'])
      expect(paths).toContain(`in ${claims}: ${field}`)
  })

  it('dates: a past --valid-until says so, naming the flag; a bad date names the flag', async () => {
    const claims = file('ok.json', JSON.stringify(licenceClaims()))
    const base = ['issue', 'licence', '--subject', CLINICIAN_DID, '--claims', claims]
    expect(await cli([...base, '--valid-until', '2020-01-01'])).toBe(2)
    expect(io.err).toContain('--valid-until 2020-01-01 is in the past')
    expect(await cli([...base, '--valid-until', 'June'])).toBe(2)
    expect(io.err).toContain('--valid-until June is not a date')
    expect(await cli([...base, '--valid-from', '2031-01-01', '--valid-until', '2030-06-01'])).toBe(2)
    expect(io.err).toContain('not after --valid-from')
  })

  it('a subject DID this agent can never resolve is refused, naming --subject', async () => {
    const claims = file('ok2.json', JSON.stringify(licenceClaims()))
    for (const subject of [
      'did:ethr:0x7a69:0xb9c57140',
      'did:web:clinician.example.org',
      'did:ethr:0x1:0xb9c5714089478a327f09197987f16f9e5d936e8a',
    ]) {
      expect(await cli(['issue', 'licence', '--subject', subject, '--claims', claims])).toBe(1)
      expect(io.err).toContain('--subject: ')
      expect(io.err).toContain('[invalid_request]')
    }
  })

  it('--holder-key stands for the subject: its did:ethr', async () => {
    expect(await cli(['keygen', '--out', join(scratch(), 'clin.jwk'), '--json'])).toBe(0)
    const { did } = JSON.parse(io.out)
    const claims = file('ok3.json', JSON.stringify(licenceClaims()))
    io.out = ''
    expect(
      await cli([
        'issue',
        'licence',
        '--holder-key',
        join(scratch(), 'clin.jwk'),
        '--claims',
        claims,
        '--json',
        '--valid-until',
        '2030-01-01',
      ]),
      io.out,
    ).toBe(0)
    expect(JSON.parse(io.out).subject).toBe(did)
  })

  it('verify: --verifier by name; without it, your own organisation', async () => {
    const licence = await licenceFile()
    expect(await cli(['verify', licence, '--verifier', 'Demo General Hospital'])).toBe(0)
    expect(io.out).toMatch(/^VALID/)
    io.out = ''
    expect(await cli(['verify', licence], { CLAVIS_TOKEN: t.hospital.token })).toBe(0)
    expect(io.out).toMatch(/^VALID/)
    expect(await cli(['verify', licence, '--verifier', 'Nobody Hospital'])).toBe(2)
    expect(io.err).toContain('No organisation "Nobody Hospital"')
  })

  it('status --credential FILE finds the id in the credential itself', async () => {
    const licence = await licenceFile()
    expect(await cli(['status', 'suspend', '--credential', licence])).toBe(0)
    expect(io.out).toMatch(/is now suspended/)
    expect(await cli(['status', 'reinstate', '--credential', licence])).toBe(0)
    expect(await cli(['status', 'suspend'])).toBe(2)
    expect(io.err).toContain('--credential FILE')
  })

  it('a token file: --token-file and CLAVIS_TOKEN_FILE', async () => {
    const tokenFile = file('board.token', `${t.board.token}\n`)
    expect(await cli(['whoami', '--token-file', tokenFile], { CLAVIS_TOKEN: '' })).toBe(0)
    expect(io.out).toContain(t.board.did)
    io.out = ''
    expect(await cli(['whoami'], { CLAVIS_TOKEN: '', CLAVIS_TOKEN_FILE: tokenFile })).toBe(0)
    expect(io.out).toContain(t.board.did)
  })

  it('an operator command with a staff token set says whose token it uses', async () => {
    expect(await cli(['org', 'create', '--name', 'Noted Clinic', '--kind', 'hospital'])).toBe(0)
    expect(io.err).toContain('as the operator')
  })
})

describe('the clavis executable', () => {
  const root = join(import.meta.dirname, '..', '..')
  /** Runs ./clavis asynchronously (the agent answers from this very process). */
  const run = (args: string[], cwd: string) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      const env = { ...process.env, CLAVIS_AGENT_URL: t.url, CLAVIS_TOKEN: t.board.token }
      execFile(join(root, 'clavis'), args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
        done({ status: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
      )
    })

  it('runs the compiled CLI from any folder of the repository, printing only its own output', async () => {
    const r = await run(['health', '--json'], join(root, 'packages', 'verify'))
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).chain.chainId).toBe(31337)
    expect(r.stderr).toBe('')
    const v = await run(['--version'], root)
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('exits 2 on a usage error and 1 when the agent refuses', async () => {
    expect((await run(['issue'], root)).status).toBe(2)
    expect((await run(['whoami', '--token', 'wrong'], root)).status).toBe(1)
  })
})
