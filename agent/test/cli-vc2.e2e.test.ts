import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCliKit } from './cli-kit'
import { inDays, licenceClaims } from './harness'
import { decodeJwt } from './holders'

// The CLI with VC Data Model 2.0 (ADR 0022): issue --format vc+jwt, verify it, present it (a vp+jwt,
// chosen from the credential's typ), verify the presentation, revoke it.

const { t, io, cli, file, dir } = useCliKit()

describe('CLI: issue --format vc+jwt → verify → present (vp+jwt) → verify-presentation → revoke', () => {
  it('runs the whole flow', async () => {
    const keyFile = join(dir(), 'clinician.jwk')
    expect(await cli(['keygen', '--out', keyFile, '--json'])).toBe(0)
    const key = JSON.parse(io.out)
    io.out = ''
    const claims = file('licence.json', JSON.stringify(licenceClaims()))
    const issue = ['issue', 'licence', '--holder-key', keyFile]
    const args = [
      '--claims',
      claims,
      '--format',
      'vc+jwt',
      '--valid-until',
      inDays(30).slice(0, 10),
      '--json',
    ]
    expect(await cli([...issue, ...args]), io.err).toBe(0)
    const issued = JSON.parse(io.out)
    expect(issued).toMatchObject({ format: 'vc+jwt', subject: key.did })
    expect(decodeJwt(issued.jwt).header.typ).toBe('vc+jwt')
    const credential = file('licence.vc-jwt', `${issued.jwt}\n`)
    io.out = ''
    expect(await cli(['verify', credential, '--verifier', t.hospital.id, '--json'])).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ valid: true, format: 'vc+jwt' })
    io.out = ''
    expect(await cli(['request-presentation', '--json'], { CLAVIS_TOKEN: t.hospital.token })).toBe(0)
    const request = JSON.parse(io.out)
    io.out = ''
    const present = ['present', '--credential', credential, '--key', keyFile]
    expect(await cli([...present, '--nonce', request.nonce, '--audience', request.audience, '--json'])).toBe(
      0,
    )
    const { presentation } = JSON.parse(io.out)
    expect(decodeJwt(presentation).header.typ).toBe('vp+jwt')
    io.out = ''
    const verify = ['verify-presentation', file('vp.txt', presentation), '--verifier', t.hospital.id]
    const secret = ['--nonce', request.nonce, '--request-secret', request.requestSecret, '--json']
    expect(await cli([...verify, ...secret])).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ valid: true, format: 'vp+jwt', holder: key.did })
    io.out = ''
    expect(await cli(['status', 'revoke', issued.id, '--json'])).toBe(0)
    io.out = ''
    expect(await cli(['verify', credential, '--verifier', t.hospital.id, '--json'])).toBe(1)
    expect(JSON.parse(io.out).checks.status).toMatchObject({ passed: false, code: 'revoked' })
  })
})
