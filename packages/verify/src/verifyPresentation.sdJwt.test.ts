import {
  base64urlJson,
  createSigner,
  generatePrivateKey,
  parseBase64urlJson,
  publicKeyOf,
  publicKeyToJwk,
} from '@clavis/crypto'
import { issueSdJwtVc, presentSdJwtVc } from '@clavis/sd-jwt'
import { tokenStatusEntry } from '@clavis/status'
import { beforeAll, describe, expect, it } from 'vitest'
import { ethrDocument, makeIdentity, memoryResolver, resolved } from '../test/kits/identities'
import {
  createScenario,
  DAY,
  failedChecks,
  GOOD_INDEX,
  licenceClaims,
  NOW,
  REVOKED_INDEX,
  type Scenario,
  SUSPENDED_INDEX,
  TOKEN_URL,
  VERIFIER,
} from '../test/kits/scenario'
import { jwkOf, presentSd, rawLicence, rebind, sdLicence, withoutKeyBinding } from '../test/kits/sdJwt'
import { createMemoryNonceStore } from './nonceStore'
import { trustListPolicy } from './trustListPolicy'
import { type VerifyPresentationParameters, verifyPresentation } from './verifyPresentation'

let s: Scenario
let credential: string

beforeAll(async () => {
  s = await createScenario()
  credential = await sdLicence(s)
})

/** A verifier's request: a nonce store and one nonce issued for {@link VERIFIER}. */
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

/** Failed presentation checks and failed checks of the credential. */
const failures = (result: Awaited<ReturnType<typeof verify>>) => ({
  presentation: failedChecks(result),
  credential: failedChecks({ checks: result.credentials[0]?.checks ?? {} }),
})

describe('verifyPresentation: SD-JWT VC', () => {
  it('passes a presentation disclosing some claims, and returns only those', async () => {
    const req = request()
    const result = await verify(await presentSd(s, credential, { nonce: req.nonce }), req)
    expect(failures(result)).toEqual({ presentation: {}, credential: {} })
    expect(result).toMatchObject({ valid: true, format: 'dc+sd-jwt', holder: s.clinician.did })
    expect(result.credentials[0]).toMatchObject({
      valid: true,
      issuer: s.board.did,
      subject: s.clinician.did,
      type: 'ClinicianLicenseCredential',
    })
    expect(result.disclosed).toMatchObject({ npi: '1234567893', licenseNumber: 'A-123456/7' })
    expect(result.disclosed).not.toHaveProperty('name')
    expect(result.disclosed).not.toHaveProperty('specialty')
  })

  it('refuses a presentation without key binding with key_binding_missing', async () => {
    const req = request()
    const presentation = withoutKeyBinding(await presentSd(s, credential, { nonce: req.nonce }))
    const result = await verify(presentation, req)
    expect(result.valid).toBe(false)
    expect(result.checks.holderBinding).toMatchObject({ passed: false, code: 'key_binding_missing' })
  })

  it('refuses a KB-JWT signed by another key with key_binding_invalid, leaving the nonce unused', async () => {
    const req = request()
    const presentation = await presentSd(s, credential, { nonce: req.nonce })
    const forged = await rebind(presentation, { signer: makeIdentity().signer, nonce: req.nonce })
    const result = await verify(forged, req)
    expect(result.valid).toBe(false)
    expect(result.checks.holderBinding).toMatchObject({ passed: false, code: 'key_binding_invalid' })
    expect((await verify(presentation, req)).valid).toBe(true)
  })

  it('passes a hand-made KB-JWT signed by the holder key (the forgery test above is meaningful)', async () => {
    const req = request()
    const presentation = await presentSd(s, credential, { nonce: req.nonce })
    const rebound = await rebind(presentation, { signer: s.clinician.signer, nonce: req.nonce })
    expect((await verify(rebound, req)).valid).toBe(true)
  })

  it('refuses another nonce with nonce_mismatch', async () => {
    const req = request()
    const result = await verify(await presentSd(s, credential, { nonce: 'other-nonce' }), req)
    expect(result.valid).toBe(false)
    expect(failures(result).presentation).toEqual({ nonceAudience: 'nonce_mismatch' })
  })

  it('refuses another audience with audience_mismatch', async () => {
    const req = request()
    const presentation = await presentSd(s, credential, {
      nonce: req.nonce,
      audience: 'did:web:evil.example',
    })
    const result = await verify(presentation, req)
    expect(failures(result).presentation).toEqual({ nonceAudience: 'audience_mismatch' })
  })

  it('refuses a stale key binding (older than five minutes) as expired', async () => {
    const req = request()
    const issuedAt = new Date(NOW.getTime() - 10 * 60_000)
    const result = await verify(await presentSd(s, credential, { nonce: req.nonce, issuedAt }), req)
    expect(failures(result).presentation).toEqual({ nonceAudience: 'expired' })
  })

  it('refuses a replay with nonce_replayed', async () => {
    const req = request()
    const presentation = await presentSd(s, credential, { nonce: req.nonce })
    expect((await verify(presentation, req)).valid).toBe(true)
    const replay = await verify(presentation, req)
    expect(replay.valid).toBe(false)
    expect(failures(replay)).toEqual({ presentation: { nonceAudience: 'nonce_replayed' }, credential: {} })
  })

  it.each([
    ['revoked', REVOKED_INDEX],
    ['suspended', SUSPENDED_INDEX],
  ])('refuses a %s credential (token status list)', async (code, idx) => {
    const req = request()
    const result = await verify(await presentSd(s, await sdLicence(s, { idx }), { nonce: req.nonce }), req)
    expect(result.valid).toBe(false)
    expect(failures(result)).toEqual({ presentation: {}, credential: { status: code } })
  })

  it('refuses an untrusted issuer with untrusted_issuer', async () => {
    const req = request()
    const trust = trustListPolicy([{ issuer: s.board.did, types: ['PatientIdentityCredential'] }])
    const result = await verify(await presentSd(s, credential, { nonce: req.nonce }), req, { trust })
    expect(failures(result).credential).toEqual({ issuerTrust: 'untrusted_issuer', status: 'not_checked' })
  })

  it('treats a trust policy that throws as untrusted', async () => {
    const req = request()
    const trust = {
      isTrusted: () => {
        throw new Error('trust store offline')
      },
    }
    const result = await verify(await presentSd(s, credential, { nonce: req.nonce }), req, { trust })
    expect(failures(result).credential).toEqual({ issuerTrust: 'untrusted_issuer', status: 'not_checked' })
  })

  it('refuses an expired credential', async () => {
    const req = request()
    const expired = await sdLicence(s, {
      validFrom: new Date(NOW.getTime() - 30 * DAY),
      validUntil: new Date(NOW.getTime() - DAY),
    })
    const result = await verify(await presentSd(s, expired, { nonce: req.nonce }), req)
    expect(failures(result)).toEqual({ presentation: {}, credential: { validityPeriod: 'expired' } })
  })

  it('refuses a tampered disclosure with disclosure_invalid', async () => {
    const req = request()
    const parts = (await presentSd(s, credential, { nonce: req.nonce })).split('~')
    const [salt, name] = parseBase64urlJson(parts[1]!) as [string, string, unknown]
    parts[1] = base64urlJson([salt, name, '1111111116'])
    const result = await verify(parts.join('~'), req)
    expect(result.valid).toBe(false)
    expect(failures(result).credential).toMatchObject({ signature: 'disclosure_invalid' })
  })

  it('refuses a credential signed by another key for the issuer DID', async () => {
    const req = request()
    const forged = await sdLicence(s, { issuer: { ...s.board, signer: makeIdentity().signer } })
    const result = await verify(await presentSd(s, forged, { nonce: req.nonce }), req)
    expect(result.valid).toBe(false)
    expect(failures(result).credential).toMatchObject({ signature: 'invalid_signature' })
  })

  it('refuses an unknown vct with schema_invalid', async () => {
    const req = request()
    const foreign = await rawLicence(s, { vct: 'urn:example:vct:DriversLicence:1' })
    const result = await verify(await presentSd(s, foreign, { nonce: req.nonce, disclose: [] }), req)
    expect(result.valid).toBe(false)
    expect(failures(result).credential).toEqual({
      issuerTrust: 'untrusted_issuer',
      status: 'not_checked',
      schema: 'schema_invalid',
    })
  })

  it("passes a credential whose kid is relative to the issuer's DID", async () => {
    const req = request()
    const relative = await rawLicence(s, { kid: '#controller' })
    const result = await verify(await presentSd(s, relative, { nonce: req.nonce, disclose: [] }), req)
    expect(failures(result)).toEqual({ presentation: {}, credential: {} })
  })

  it("verifies the issuer's address-only controller key when the document also lists another full key", async () => {
    const req = request()
    const delegate = makeIdentity()
    const document = ethrDocument(s.board)
    document.verificationMethod!.push({
      id: `${s.board.did}#delegate-1`,
      type: 'EcdsaSecp256k1VerificationKey2019',
      controller: s.board.did,
      publicKeyHex: delegate.publicKeyHex,
    })
    document.assertionMethod!.push(`${s.board.did}#delegate-1`)
    const resolver = memoryResolver({
      [s.board.did]: resolved(document),
      [s.clinician.did]: resolved(ethrDocument(s.clinician)),
    })
    const result = await verify(await presentSd(s, credential, { nonce: req.nonce }), req, { resolver })
    expect(failures(result)).toEqual({ presentation: {}, credential: {} })
  })

  it('throws RangeError for a clock skew over 60 s', async () => {
    const req = request()
    const presentation = await presentSd(s, credential, { nonce: req.nonce })
    await expect(verify(presentation, req, { clockSkewSeconds: 61 })).rejects.toThrow(RangeError)
  })
})

describe('verifyPresentation (SD-JWT VC): a DID subject must hold the bound key', () => {
  const issueBoundTo = (
    holderJwk: ReturnType<typeof jwkOf> | Record<string, string>,
    subject = s.clinician.did,
  ) =>
    issueSdJwtVc({
      type: 'ClinicianLicenseCredential',
      issuer: s.board.did,
      kid: `${s.board.did}#controller`,
      alg: 'ES256K',
      signer: s.board.signer,
      subject,
      claims: licenceClaims(),
      holderJwk: holderJwk as ReturnType<typeof jwkOf>,
      validFrom: new Date(NOW.getTime() - DAY),
      validUntil: new Date(NOW.getTime() + 30 * DAY),
      status: tokenStatusEntry({ uri: TOKEN_URL, idx: GOOD_INDEX }),
    })

  it("a licence naming the clinician but bound to the patient's key, presented by the patient → holder_mismatch", async () => {
    const req = request()
    const presentation = await presentSdJwtVc({
      credential: await issueBoundTo(jwkOf(s.patient)),
      disclose: [],
      keyBinding: {
        alg: 'ES256K',
        signer: s.patient.signer,
        nonce: req.nonce,
        audience: VERIFIER,
        issuedAt: NOW,
      },
    })
    const result = await verify(presentation, req)
    expect(result.valid).toBe(false)
    expect(result.checks.holderBinding).toMatchObject({ passed: false, code: 'holder_mismatch' })
    expect(result.credentials[0]!.valid).toBe(true)
  })

  it('a P-256 key bound to a did:ethr subject → holder_mismatch', async () => {
    const p256 = generatePrivateKey('ES256')
    const jwk = publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', p256) })
    const req = request()
    const credential = await issueBoundTo(jwk)
    const presentation = await presentSdJwtVc({
      credential,
      disclose: [],
      keyBinding: {
        alg: 'ES256',
        signer: createSigner({ alg: 'ES256', privateKey: p256 }),
        nonce: req.nonce,
        audience: VERIFIER,
        issuedAt: NOW,
      },
    })
    const result = await verify(presentation, req)
    expect(result.checks.holderBinding).toMatchObject({ passed: false, code: 'holder_mismatch' })
  })

  it('the address form of did:ethr (only #controller) matches the key whose address it is', async () => {
    const req = request()
    const result = await verify(
      await presentSd(s, await issueBoundTo(jwkOf(s.clinician)), { nonce: req.nonce, disclose: [] }),
      req,
    )
    expect(result.checks.holderBinding).toEqual({ passed: true })
    expect(result.valid).toBe(true)
  })
})
