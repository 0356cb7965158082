import { base64urlJson } from '@clavis/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeIdentity } from '../test/kits/identities'
import {
  createScenario,
  failedChecks,
  licence,
  NOW,
  REVOKED_INDEX,
  type Scenario,
  signVc,
  VERIFIER,
} from '../test/kits/scenario'
import { presentSd, rebind, sdLicence, withoutKeyBinding } from '../test/kits/sdJwt'
import { createMemoryNonceStore } from './nonceStore'
import { detectPresentationFormat } from './presentationFormat'
import { presentJwtVp } from './presentJwtVp'
import { createStatusChecker } from './statusChecker'
import { trustListPolicy } from './trustListPolicy'
import type { CheckResult } from './types'
import { type VerifyPresentationParameters, verifyPresentation } from './verifyPresentation'

let s: Scenario
let licenceJwt: string
let sdCredential: string

beforeAll(async () => {
  s = await createScenario()
  licenceJwt = await signVc(licence(s), s.board)
  sdCredential = await sdLicence(s)
})

function request() {
  const nonces = createMemoryNonceStore()
  return { nonces, nonce: nonces.issue({ audience: VERIFIER, now: NOW }) }
}

const verify = (
  presentation: string,
  req: ReturnType<typeof request>,
  overrides: Partial<VerifyPresentationParameters> = {},
) =>
  verifyPresentation({
    presentation,
    resolver: s.resolver,
    trust: s.trust,
    status: s.status,
    nonces: req.nonces,
    expect: { nonce: req.nonce, audience: VERIFIER },
    now: NOW,
    ...overrides,
  })

/** The clinician's JWT VP of the licence, signed by `signer` (the clinician's key by default). */
const presentVp = (nonce: string, signer = s.clinician.signer) =>
  presentJwtVp({
    credentials: [licenceJwt],
    holder: s.clinician.did,
    kid: `${s.clinician.did}#controllerKey`,
    signer,
    nonce,
    audience: VERIFIER,
    now: NOW,
  })

const passedAll = (checks: Record<string, CheckResult>) => Object.values(checks).every((c) => c.passed)
const CREDENTIAL_CHECKS = ['issuerTrust', 'schema', 'signature', 'signerIsIssuer', 'status', 'validityPeriod']

describe('verifyPresentation: one entry point, one envelope', () => {
  it('detects the format once: `~` means SD-JWT VC, anything else is read as a JWT VP', () => {
    expect(detectPresentationFormat('a.b.c~d~')).toBe('dc+sd-jwt')
    expect(detectPresentationFormat('a.b.c')).toBe('jwt_vp')
    expect(detectPresentationFormat(42)).toBe('jwt_vp')
  })

  it('gives both formats the same checks, for the presentation and for each credential', async () => {
    const vp = await verify(await presentVp(request().nonce), request())
    const sd = await verify(await presentSd(s, sdCredential, { nonce: request().nonce }), request())
    expect(Object.keys(vp.checks).sort()).toEqual(['holderBinding', 'nonceAudience', 'signature'])
    expect(Object.keys(sd.checks).sort()).toEqual(Object.keys(vp.checks).sort())
    expect(Object.keys(vp.credentials[0]!.checks).sort()).toEqual(CREDENTIAL_CHECKS)
    expect(Object.keys(sd.credentials[0]!.checks).sort()).toEqual(CREDENTIAL_CHECKS)
  })

  it('takes an explicit format and refuses what is not of it as malformed', async () => {
    const req = request()
    const sdPresentation = await presentSd(s, sdCredential, { nonce: req.nonce })
    const result = await verify(sdPresentation, req, { format: 'jwt_vp' })
    expect(result).toMatchObject({ valid: false, format: 'jwt_vp', credentials: [] })
    expect(failedChecks(result)).toEqual({
      signature: 'malformed',
      holderBinding: 'not_checked',
      nonceAudience: 'not_checked',
    })
    expect((await verify(sdPresentation, req, { format: 'dc+sd-jwt' })).valid).toBe(true)
  })

  it.each([
    ['', 'jwt_vp'],
    ['~', 'dc+sd-jwt'],
    ['a.b.c', 'jwt_vp'],
    [`${base64urlJson({})}~x~`, 'dc+sd-jwt'],
  ])('refuses garbage %j without throwing, every check reported', async (garbage, format) => {
    const result = await verify(garbage, request())
    expect(result).toMatchObject({ valid: false, format })
    expect(Object.keys(result.checks).sort()).toEqual(['holderBinding', 'nonceAudience', 'signature'])
    for (const credential of result.credentials)
      expect(Object.keys(credential.checks).sort()).toEqual(CREDENTIAL_CHECKS)
  })
})

describe('verifyPresentation: when the holder’s proof fails, every check is still reported', () => {
  it('JWT VP signed by another key: signature fails, the credential is checked in full, the nonce stays unused', async () => {
    const req = request()
    const result = await verify(await presentVp(req.nonce, makeIdentity().signer), req)
    expect(result.valid).toBe(false)
    expect(result.checks).toEqual({
      signature: {
        passed: false,
        code: 'invalid_signature',
        reason: expect.stringContaining(s.clinician.did),
      },
      holderBinding: { passed: true },
      nonceAudience: { passed: false, code: 'not_checked', reason: expect.stringContaining('signature') },
    })
    expect(result.credentials).toHaveLength(1)
    expect(result.credentials[0]!.valid).toBe(true)
    expect(passedAll(result.credentials[0]!.checks)).toBe(true)
    expect((await verify(await presentVp(req.nonce), req)).valid).toBe(true)
  })

  it('SD-JWT VC with a KB-JWT by another key: signature and holder binding fail, the credential is checked in full, the nonce stays unused', async () => {
    const req = request()
    const presentation = await presentSd(s, sdCredential, { nonce: req.nonce })
    const forged = await rebind(presentation, { signer: makeIdentity().signer, nonce: req.nonce })
    const result = await verify(forged, req)
    expect(result.valid).toBe(false)
    expect(result.checks).toEqual({
      signature: { passed: false, code: 'key_binding_invalid', reason: expect.any(String) },
      holderBinding: { passed: false, code: 'key_binding_invalid', reason: expect.any(String) },
      nonceAudience: { passed: false, code: 'not_checked', reason: expect.stringContaining('signature') },
    })
    expect(result.credentials).toHaveLength(1)
    expect(result.credentials[0]!.valid).toBe(true)
    expect(passedAll(result.credentials[0]!.checks)).toBe(true)
    expect(result.disclosed).toMatchObject({ npi: '1234567893' })
    expect((await verify(presentation, req)).valid).toBe(true)
  })

  it('SD-JWT VC without a KB-JWT: no nonce can be read, which nonceAudience says; the credential is checked in full', async () => {
    const req = request()
    const bare = withoutKeyBinding(await presentSd(s, sdCredential, { nonce: req.nonce }))
    const result = await verify(bare, req)
    expect(failedChecks(result)).toEqual({
      signature: 'key_binding_missing',
      holderBinding: 'key_binding_missing',
      nonceAudience: 'not_checked',
    })
    expect(!result.checks.nonceAudience.passed && result.checks.nonceAudience.reason).toContain(
      'key-binding JWT',
    )
    expect(result.credentials[0]!.valid).toBe(true)
  })

  it('reports a wrong nonce and a failed signature together, in both formats', async () => {
    const req = request()
    const vp = await presentJwtVp({
      credentials: [licenceJwt],
      holder: s.clinician.did,
      kid: `${s.clinician.did}#controllerKey`,
      signer: makeIdentity().signer,
      nonce: 'another-nonce',
      audience: VERIFIER,
      now: NOW,
    })
    expect(failedChecks(await verify(vp, req))).toEqual({
      signature: 'invalid_signature',
      nonceAudience: 'nonce_mismatch',
    })
    const sd = await rebind(await presentSd(s, sdCredential, { nonce: req.nonce }), {
      signer: makeIdentity().signer,
      nonce: 'another-nonce',
    })
    expect(failedChecks(await verify(sd, req))).toEqual({
      signature: 'key_binding_invalid',
      holderBinding: 'key_binding_invalid',
      nonceAudience: 'nonce_mismatch',
    })
  })

  it('still checks the status of an accepted credential (a revoked one is reported as revoked)', async () => {
    const req = request()
    const revoked = await presentSd(s, await sdLicence(s, { idx: REVOKED_INDEX }), { nonce: req.nonce })
    const result = await verify(
      await rebind(revoked, { signer: makeIdentity().signer, nonce: req.nonce }),
      req,
    )
    expect(failedChecks({ checks: result.credentials[0]!.checks })).toEqual({ status: 'revoked' })
  })

  it('fetches no status list for an untrusted credential', async () => {
    const req = request()
    const before = s.server.fetched.length
    const status = createStatusChecker({ fetchList: s.server.fetchList, resolver: s.resolver })
    const nobody = trustListPolicy([])
    const forged = await rebind(await presentSd(s, sdCredential, { nonce: req.nonce }), {
      signer: makeIdentity().signer,
      nonce: req.nonce,
    })
    const result = await verify(forged, req, { status, trust: nobody })
    expect(failedChecks({ checks: result.credentials[0]!.checks })).toEqual({
      issuerTrust: 'untrusted_issuer',
      status: 'not_checked',
    })
    const vp = await verify(await presentVp(req.nonce), req, { status, trust: nobody })
    expect(failedChecks({ checks: vp.credentials[0]!.checks })).toEqual({
      issuerTrust: 'untrusted_issuer',
      status: 'not_checked',
    })
    expect(s.server.fetched.length).toBe(before)
  })

  it('trusts the holder key only from an intact credential: a tampered disclosure leaves the presentation checks not_checked', async () => {
    const req = request()
    const parts = (await presentSd(s, sdCredential, { nonce: req.nonce })).split('~')
    parts[1] = base64urlJson(['salt', 'npi', '1111111116'])
    const tampered = await rebind(parts.join('~'), { signer: s.clinician.signer, nonce: req.nonce })
    const result = await verify(tampered, req)
    expect(failedChecks(result)).toEqual({
      signature: 'not_checked',
      holderBinding: 'not_checked',
      nonceAudience: 'not_checked',
    })
    expect(failedChecks({ checks: result.credentials[0]!.checks })).toEqual({
      signature: 'disclosure_invalid',
      status: 'not_checked',
      schema: 'not_checked',
    })
    expect(result.disclosed).toBeUndefined()
    expect((await verify(await presentSd(s, sdCredential, { nonce: req.nonce }), req)).valid).toBe(true)
  })
})
