import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/main'
import { captureOutput } from './capture-output'
import { inDays, patientClaims, startTestAgent, type TestAgent } from './harness'

// Holder and verifier commands end to end: keygen → issue SD-JWT VC → request → present → verify → revoke.

let t: TestAgent
let dir: string
const io = captureOutput()

beforeAll(async () => {
  t = await startTestAgent()
  dir = mkdtempSync(join(tmpdir(), 'clavis-cli-holder-'))
})
afterAll(async () => {
  await t?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const cli = (argv: string[], token = t.hospital.token) =>
  runCli(argv, { CLAVIS_AGENT_URL: t.url, CLAVIS_TOKEN: token })
const path = (name: string) => join(dir, name)
const json = () => JSON.parse(io.out)

describe('holder and verifier commands', () => {
  it('keygen writes a private JWK readable only by its owner and prints the did:ethr', async () => {
    expect(await cli(['keygen', '--out', path('a.jwk'), '--json'])).toBe(0)
    expect(json().did).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/)
    expect(statSync(path('a.jwk')).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(path('a.jwk'), 'utf8')).d).toBeTypeOf('string')
    // Never overwrites a key.
    expect(await cli(['keygen', '--out', path('a.jwk')])).toBe(2)
    expect(io.err).toMatch(/a key is never overwritten/)
  })

  it('issue --format sd-jwt → request-presentation → present → verify-presentation → status revoke', async () => {
    await cli(['keygen', '--out', path('patient.jwk'), '--json'])
    const patientDid = json().did as string
    writeFileSync(path('claims.json'), JSON.stringify(patientClaims()))
    io.out = ''
    const issue = [
      'issue',
      'identity',
      '--subject',
      patientDid,
      '--claims',
      path('claims.json'),
      '--format',
      'sd-jwt',
      '--holder-jwk',
      path('patient.jwk'),
      '--valid-until',
      inDays(365),
      '--json',
    ]
    expect(await cli(issue)).toBe(0)
    const issued = json()
    writeFileSync(path('cred.txt'), issued.jwt)
    io.out = ''
    expect(await cli(['request-presentation', '--json'])).toBe(0)
    const { nonce, audience, requestSecret } = json()
    io.out = ''
    const present = [
      'present',
      '--credential',
      path('cred.txt'),
      '--key',
      path('patient.jwk'),
      '--nonce',
      nonce,
      '--audience',
      audience,
      '--disclose',
      'name,birthDate',
    ]
    expect(await cli(present)).toBe(0)
    writeFileSync(path('pres.txt'), io.out.trim())
    io.out = ''
    expect(
      await cli([
        'verify-presentation',
        path('pres.txt'),
        '--verifier',
        t.hospital.id,
        '--nonce',
        nonce,
        '--request-secret',
        requestSecret,
      ]),
    ).toBe(0)
    expect(io.out).toMatch(/^VALID presentation/)
    expect(io.out).toContain('"birthDate"')
    expect(io.out).not.toContain('MRN-0042')
    io.out = ''
    // The same presentation again is a replay.
    expect(
      await cli([
        'verify-presentation',
        path('pres.txt'),
        '--verifier',
        t.hospital.id,
        '--nonce',
        nonce,
        '--request-secret',
        requestSecret,
      ]),
    ).toBe(1)
    expect(io.out).toContain('nonce_replayed')
    expect(await cli(['status', 'revoke', issued.id])).toBe(0)
    expect(await cli(['status', 'reinstate', issued.id])).toBe(1)
    expect(io.err).toMatch(/Revocation is final/)
  })

  it('refuses bad usage with exit 2 and a message', async () => {
    expect(await cli(['status', 'obliterate', 'x'])).toBe(2)
    expect(
      await cli([
        'issue',
        'identity',
        '--subject',
        'did:ethr:0x7a69:0x01',
        '--claims',
        path('claims.json'),
        '--format',
        'sd-jwt',
      ]),
    ).toBe(2)
    expect(io.err).toMatch(/--holder-key/)
    writeFileSync(path('empty.txt'), '')
    expect(
      await cli([
        'present',
        '--credential',
        path('empty.txt'),
        '--key',
        path('patient.jwk'),
        '--nonce',
        'n',
        '--audience',
        'a',
      ]),
    ).toBe(2)
    expect(await cli(['keygen', '--out', path('b.jwk'), '--alg', 'RS256'])).toBe(2)
  })

  it('files carry the request: request-presentation --out → present --request → verify-presentation --request', async () => {
    await cli(['keygen', '--out', path('files.jwk')])
    writeFileSync(path('files-claims.json'), JSON.stringify(patientClaims()))
    const issue = [
      'issue',
      'identity',
      '--holder-key',
      path('files.jwk'),
      '--claims',
      path('files-claims.json'),
    ]
    expect(await cli([...issue, '--format', 'sd-jwt', '--out', path('files.sd-jwt')])).toBe(0)
    expect(await cli(['request-presentation', '--out', path('request.json')])).toBe(0)
    expect(statSync(path('request.json')).mode & 0o777).toBe(0o600)
    const present = ['present', '--credential', path('files.sd-jwt'), '--key', path('files.jwk')]
    const args = ['--request', path('request.json'), '--disclose', 'name', '--out', path('files.vp')]
    expect(await cli([...present, ...args])).toBe(0)
    io.out = ''
    expect(
      await cli(['verify-presentation', path('files.vp'), '--request', path('request.json'), '--json']),
    ).toBe(0)
    expect(json()).toMatchObject({ valid: true, disclosed: { name: patientClaims().name } })
    expect(json().disclosed.birthDate).toBeUndefined()
    // The credential file names the credential for a status change.
    expect(await cli(['status', 'revoke', '--credential', path('files.sd-jwt')])).toBe(0)
    expect(io.out).toMatch(/is now revoked/)
  })

  it('--disclose on a JWT-VC is refused: a JWT-VC is presented whole', async () => {
    await cli(['keygen', '--out', path('whole.jwk')])
    writeFileSync(path('whole-claims.json'), JSON.stringify(patientClaims()))
    const issue = [
      'issue',
      'identity',
      '--holder-key',
      path('whole.jwk'),
      '--claims',
      path('whole-claims.json'),
    ]
    expect(await cli([...issue, '--out', path('whole.jwt')])).toBe(0)
    const present = ['present', '--credential', path('whole.jwt'), '--key', path('whole.jwk')]
    expect(
      await cli([...present, '--nonce', 'n'.repeat(16), '--audience', t.hospital.did, '--disclose', 'name']),
    ).toBe(2)
    expect(io.err).toContain('--disclose works with SD-JWT VCs only')
  })
})
