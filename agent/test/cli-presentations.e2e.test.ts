import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/main'
import { captureOutput } from './capture-output'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from './harness'
import { holderKey } from './holders'

// The presentation commands of the CLI against a real agent: keygen, issue --format sd-jwt,
// request-presentation, present, verify-presentation, status; their usage errors.

let t: TestAgent
let dir: string
const patient = holderKey()
const clinician = holderKey()

beforeAll(async () => {
  t = await startTestAgent()
  dir = mkdtempSync(join(tmpdir(), 'clavis-cli-presentations-'))
})
afterAll(async () => {
  await t?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const licence = (overrides: Record<string, unknown> = {}) => ({
  type: 'ClinicianLicenseCredential',
  subject: clinician.did,
  claims: licenceClaims(),
  validUntil: inDays(365),
  ...overrides,
})

async function issue(org: TestAgent['board'], body: Record<string, unknown>) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/credentials`, { token: org.token, body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: string; jwt: string; format: string }
}

async function nonceFor(org: TestAgent['board']) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/presentation-requests`, {
    token: org.token,
    body: {},
  })
  expect(res.status).toBe(201)
  return res.body as { nonce: string; audience: string; expiresAt: string; requestSecret: string }
}

describe('CLI: keygen, present, request-presentation, verify-presentation, status, issue --format sd-jwt', () => {
  const io = captureOutput()
  const cli = (argv: string[], token = t.hospital.token) =>
    runCli(argv, { CLAVIS_AGENT_URL: t.url, CLAVIS_TOKEN: token })
  const file = (name: string, content?: string) => {
    const p = join(dir, name)
    if (content !== undefined) writeFileSync(p, content)
    return p
  }
  /** The `--json` error of the last command. */
  const jsonError = () =>
    JSON.parse(io.out.trim().split('\n').at(-1)!).error as { code: string; message: string }

  it('--help lists every command', async () => {
    expect(await cli(['--help'])).toBe(0)
    const words = ['health', 'whoami', 'org', 'did', 'issue', 'claims', 'credentials', 'status', 'trust']
    words.push('verify', 'request-presentation', 'verify-presentation', 'keygen', 'present')
    for (const word of words) expect(io.out).toMatch(new RegExp(`^  ${word}\\b`, 'm'))
  })

  it('the whole flow with --json: keygen → issue sd-jwt → request → present → verify → status', async () => {
    expect(await cli(['keygen', '--out', file('flow.jwk'), '--json'])).toBe(0)
    const key = JSON.parse(io.out)
    expect(key.did).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/)
    expect(key.jwk).toEqual({ kty: 'EC', crv: 'secp256k1', x: expect.any(String), y: expect.any(String) })
    file('claims.json', JSON.stringify(patientClaims()))
    io.out = ''
    const issueArgs = ['issue', 'identity', '--subject', key.did, '--claims', file('claims.json')]
    const sd = ['--format', 'sd-jwt', '--holder-jwk', file('flow.jwk'), '--valid-until', inDays(30)]
    expect(await cli([...issueArgs, ...sd, '--json'])).toBe(0)
    const issued = JSON.parse(io.out)
    expect(issued).toMatchObject({ format: 'dc+sd-jwt', status: 'valid', subject: key.did })
    file('flow.cred', issued.jwt)
    io.out = ''
    expect(await cli(['request-presentation', '--ttl', '120', '--json'])).toBe(0)
    const request = JSON.parse(io.out)
    expect(request).toEqual({
      verifier: t.hospital.id,
      nonce: expect.any(String),
      audience: t.hospital.did,
      expiresAt: expect.any(String),
      requestSecret: expect.any(String),
    })
    io.out = ''
    const present = ['present', '--credential', file('flow.cred'), '--key', file('flow.jwk')]
    const args = ['--nonce', request.nonce, '--audience', request.audience, '--disclose', 'name']
    expect(await cli([...present, ...args, '--json'])).toBe(0)
    file('flow.vp', JSON.parse(io.out).presentation)
    io.out = ''
    const verify = [
      'verify-presentation',
      file('flow.vp'),
      '--verifier',
      t.hospital.id,
      '--nonce',
      request.nonce,
      '--request-secret',
      request.requestSecret,
    ]
    expect(await cli([...verify, '--json'])).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ valid: true, disclosed: { name: patientClaims().name } })
    io.out = ''
    expect(await cli(['status', 'suspend', issued.id, '--json'])).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ id: issued.id, status: 'suspended' })
  })

  it('keygen: bad usage is exit 2', async () => {
    expect(await cli(['keygen'])).toBe(2)
    expect(io.err).toMatch(/--out/)
    expect(await cli(['keygen', '--out', file('k.jwk'), '--alg', 'EdDSA'])).toBe(2)
    expect(await cli(['keygen', '--out', join(dir, 'no-such-dir', 'k.jwk')])).toBe(2)
    expect(io.err).toMatch(/Cannot write/)
  })

  it('ES256 keygen has no did:ethr; a JWT VP with it is refused with exit 2', async () => {
    expect(await cli(['keygen', '--out', file('p256.jwk'), '--alg', 'ES256', '--json'])).toBe(0)
    expect(JSON.parse(io.out).did).toBeNull()
    const { jwt } = await issue(t.board, licence())
    const args = ['present', '--credential', file('lic.jwt', jwt), '--key', file('p256.jwk')]
    expect(await cli([...args, '--nonce', 'n'.repeat(16), '--audience', t.hospital.did])).toBe(2)
    expect(io.err).toMatch(/ES256K/)
  })

  it('present: a public-only, non-JSON or missing key file is exit 2', async () => {
    await cli(['keygen', '--out', file('pk.jwk'), '--json'])
    const pub = JSON.parse(io.out).jwk
    const { jwt } = await issue(t.board, licence())
    const base = [
      'present',
      '--credential',
      file('lic2.jwt', jwt),
      '--nonce',
      'n'.repeat(16),
      '--audience',
      'a',
    ]
    for (const key of [
      file('pub.jwk', JSON.stringify(pub)),
      file('junk.jwk', 'not json'),
      join(dir, 'none'),
    ]) {
      io.err = ''
      expect(await cli([...base, '--key', key])).toBe(2)
      expect(io.err.length).toBeGreaterThan(0)
    }
    expect(await cli(['present', '--key', file('pk.jwk'), '--nonce', 'n', '--audience', 'a'])).toBe(2)
    expect(io.err).toMatch(/--credential/)
  })

  it('present: a credential file that is not a credential is exit 1 with a code', async () => {
    await cli(['keygen', '--out', file('pk2.jwk')])
    const args = ['--key', file('pk2.jwk'), '--nonce', 'n'.repeat(16), '--audience', t.hospital.did]
    io.out = ''
    const code = await cli(['present', '--credential', file('junk.sd', 'a~b~'), ...args, '--json'])
    expect(code).toBeGreaterThan(0)
    expect(jsonError().code).not.toBe('internal')
  })

  it('request-presentation: a ttl out of range or not a number is refused with the API code', async () => {
    for (const ttl of ['5', '601', 'abc', '']) {
      io.out = ''
      const code = await cli(['request-presentation', '--ttl', ttl, '--json'])
      expect(code, ttl).toBeGreaterThan(0)
      expect(['invalid_request', 'usage']).toContain(jsonError().code)
    }
    io.out = ''
    expect(await cli(['request-presentation', '--json'], 'wrong-token')).toBe(1)
    expect(jsonError().code).toBe('unauthorized')
  })

  it('verify-presentation: short nonce, unknown verifier, missing flags, garbage', async () => {
    const vp = file('garbage.vp', 'hello')
    io.out = ''
    const secret = ['--request-secret', 's'.repeat(32)]
    expect(
      await cli([
        'verify-presentation',
        vp,
        '--verifier',
        t.hospital.id,
        '--nonce',
        'short',
        ...secret,
        '--json',
      ]),
    ).toBe(1)
    expect(jsonError().code).toBe('invalid_request')
    expect(jsonError().message).toMatch(/nonce/)
    io.out = ''
    expect(
      await cli([
        'verify-presentation',
        vp,
        '--verifier',
        'nope',
        '--nonce',
        'n'.repeat(16),
        ...secret,
        '--json',
      ]),
    ).toBe(2)
    expect(jsonError().message).toMatch(/No organisation "nope"/)
    expect(await cli(['verify-presentation', vp, '--nonce', 'n'.repeat(16)])).toBe(2)
    expect(io.err).toMatch(/--request-secret/)
    expect(await cli(['verify-presentation', vp, '--verifier', t.hospital.id])).toBe(2)
    expect(await cli(['verify-presentation', file('empty.vp', ''), '--verifier', 'x', '--nonce', 'y'])).toBe(
      2,
    )
    io.out = ''
    expect(
      await cli(['verify-presentation', vp, '--verifier', t.hospital.id, '--nonce', 'n'.repeat(16)]),
    ).toBe(2)
    expect(io.err).toMatch(/--request-secret/)
    io.out = ''
    const { nonce, requestSecret } = await nonceFor(t.hospital)
    const asked = ['--nonce', nonce, '--request-secret', requestSecret]
    expect(await cli(['verify-presentation', vp, '--verifier', t.hospital.id, ...asked])).toBe(1)
    expect(io.out).toMatch(/^NOT VALID presentation/)
  })

  it("status: usage errors are exit 2; an unknown or another organisation's id is exit 1 not_found", async () => {
    expect(await cli(['status', 'revoke'])).toBe(2)
    expect(await cli(['status'])).toBe(2)
    expect(await cli(['status', 'destroy', 'x'])).toBe(2)
    io.out = ''
    expect(await cli(['status', 'revoke', 'no-such-id', '--json'])).toBe(1)
    expect(jsonError().code).toBe('not_found')
    const { id } = await issue(t.board, licence())
    io.out = ''
    expect(await cli(['status', 'revoke', id, '--json'])).toBe(1)
    expect(jsonError().code).toBe('not_found')
    io.out = ''
    expect(await cli(['status', 'revoke', '../../x?y#z', '--json'])).toBe(1)
    expect(jsonError().code).toBe('not_found')
    expect(await cli(['status', 'revoke', id], t.board.token)).toBe(0)
  })

  it('issue --format sd-jwt: bad key files and formats are exit 2; API refusals exit 1', async () => {
    file('claims2.json', JSON.stringify(patientClaims()))
    const base = ['issue', 'identity', '--subject', patient.did, '--claims', file('claims2.json')]
    const rsa = file('rsa.jwk', JSON.stringify({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }))
    const p384 = file('p384.jwk', JSON.stringify({ ...patient.jwk, crv: 'P-384' }))
    const offCurve = file('off.jwk', JSON.stringify({ ...patient.jwk, crv: 'P-256' }))
    for (const key of [rsa, p384, offCurve, file('notjson.jwk', '{'), join(dir, 'absent.jwk')]) {
      io.err = ''
      expect(await cli([...base, '--format', 'sd-jwt', '--holder-jwk', key]), key).toBe(2)
      expect(io.err.length).toBeGreaterThan(0)
    }
    expect(await cli([...base, '--format', 'dc+sd-jwt'])).toBe(2)
    expect(io.err).toMatch(/--format/)
    // The API refuses an SD-JWT licence from a hospital (403) with its code.
    io.out = ''
    const lic = [
      'issue',
      'licence',
      '--subject',
      clinician.did,
      '--claims',
      file('lic.json', JSON.stringify(licenceClaims())),
    ]
    const pubKey = file('pub2.jwk', JSON.stringify(clinician.jwk))
    expect(
      await cli([
        ...lic,
        '--format',
        'sd-jwt',
        '--holder-jwk',
        pubKey,
        '--valid-until',
        inDays(30),
        '--json',
      ]),
    ).toBe(1)
    expect(jsonError().code).toBe('forbidden')
  })
})
