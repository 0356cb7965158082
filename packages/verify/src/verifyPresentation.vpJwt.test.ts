// VC 2.0 presentations secured with VC-JOSE-COSE (`vp+jwt`): credentials inside as
// EnvelopedVerifiableCredentials of `vc+jwt`, the same checks as a VC 1.1 JWT VP, no mixing.
import { parseBase64urlJson } from '@clavis/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { signRawJwt } from '../test/kits/identities'
import {
  createScenario,
  failedChecks as failed,
  licence,
  licenceV2,
  NOW,
  REVOKED_INDEX,
  type Scenario,
  signVc,
  signVcJwt,
  VERIFIER,
} from '../test/kits/scenario'
import { createMemoryNonceStore } from './nonceStore'
import { detectPresentationFormat } from './presentationFormat'
import { presentJwtVp } from './presentJwtVp'
import { verifyPresentation } from './verifyPresentation'

const NOW_S = Math.floor(NOW.getTime() / 1000)
const V2 = 'https://www.w3.org/ns/credentials/v2'

let s: Scenario
let licenceJwt: string

beforeAll(async () => {
  s = await createScenario()
  licenceJwt = await signVcJwt(licenceV2(s), s.board)
})

function request() {
  const nonces = createMemoryNonceStore()
  return { nonces, nonce: nonces.issue({ audience: VERIFIER, now: NOW }) }
}

const present = (nonce: string, credentials = [licenceJwt], format: 'vp+jwt' | 'jwt_vp' = 'vp+jwt') =>
  presentJwtVp({
    credentials,
    holder: s.clinician.did,
    kid: `${s.clinician.did}#controllerKey`,
    signer: s.clinician.signer,
    format,
    nonce,
    audience: VERIFIER,
    now: NOW,
  })

const verify = (presentation: string, req: ReturnType<typeof request>) =>
  verifyPresentation({
    presentation,
    resolver: s.resolver,
    trust: s.trust,
    status: s.status,
    nonces: req.nonces,
    expect: { nonce: req.nonce, audience: VERIFIER },
    now: NOW,
  })

/** A vp+jwt over a hand-made claims set, signed by the clinician. */
const presentRaw = (claims: Record<string, unknown>) =>
  signRawJwt(
    { alg: 'ES256K', typ: 'vp+jwt', kid: `${s.clinician.did}#controllerKey` },
    claims,
    s.clinician.signer,
  )

const enveloped = (jwt: string) => ({
  '@context': V2,
  id: `data:application/vc+jwt,${jwt}`,
  type: 'EnvelopedVerifiableCredential',
})

describe('verifyPresentation: VC 2.0 vp+jwt', () => {
  it('presents vc+jwt credentials as EnvelopedVerifiableCredentials in a vp+jwt claims set', async () => {
    const { nonce } = request()
    const vp = await present(nonce)
    const [header, payload] = vp.split('.').map((part) => parseBase64urlJson(part))
    expect(header).toEqual({ alg: 'ES256K', typ: 'vp+jwt', kid: `${s.clinician.did}#controllerKey` })
    expect(payload).toEqual({
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: s.clinician.did,
      verifiableCredential: [enveloped(licenceJwt)],
      aud: VERIFIER,
      nonce,
      iat: NOW_S,
      exp: NOW_S + 120,
    })
    expect(detectPresentationFormat(vp)).toBe('vp+jwt')
  })

  it('verifies it: holder signature, holder binding, nonce, and each credential', async () => {
    const req = request()
    const result = await verify(await present(req.nonce), req)
    expect(failed(result)).toEqual({})
    expect(result).toMatchObject({ valid: true, format: 'vp+jwt', holder: s.clinician.did })
    expect(result.credentials).toMatchObject([{ valid: true, format: 'vc+jwt', subject: s.clinician.did }])
  })

  it('refuses a revoked credential inside', async () => {
    const req = request()
    const revoked = await signVcJwt(licenceV2(s, { index: REVOKED_INDEX }), s.board)
    const result = await verify(await present(req.nonce, [revoked]), req)
    expect(result.valid).toBe(false)
    expect(failed(result.credentials[0]!)).toEqual({ status: 'revoked' })
  })

  it('refuses mixing: a VC 1.1 JWT-VC in a vp+jwt, a vc+jwt in a VC 1.1 JWT VP', async () => {
    const v1 = await signVc(licence(s), s.board)
    const req = request()
    const inV2 = await verify(await present(req.nonce, [v1]), req)
    expect(failed(inV2.credentials[0]!)).toMatchObject({ signature: 'malformed' })
    const req2 = request()
    const inV1 = await verify(await present(req2.nonce, [licenceJwt], 'jwt_vp'), req2)
    expect(inV1.format).toBe('jwt_vp')
    expect(failed(inV1.credentials[0]!)).toMatchObject({ signature: 'malformed' })
  })

  it('refuses credentials that are not EnvelopedVerifiableCredentials of a vc+jwt', async () => {
    const base = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: s.clinician.did,
      aud: VERIFIER,
      iat: NOW_S,
      exp: NOW_S + 60,
    }
    for (const verifiableCredential of [
      [licenceJwt],
      [{ ...enveloped(licenceJwt), type: 'VerifiableCredential' }],
      [{ ...enveloped(licenceJwt), id: `data:application/vc+sd-jwt,${licenceJwt}` }],
      [{ ...enveloped(licenceJwt), '@context': undefined }],
      [],
    ]) {
      const req = request()
      const result = await verify(await presentRaw({ ...base, nonce: req.nonce, verifiableCredential }), req)
      expect(result.valid).toBe(false)
      expect(failed(result)).toMatchObject({ holderBinding: 'malformed' })
    }
  })

  it('refuses a vp+jwt with a vp claim, or whose iss is not its holder', async () => {
    const base = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: s.clinician.did,
      verifiableCredential: [enveloped(licenceJwt)],
      aud: VERIFIER,
      iat: NOW_S,
      exp: NOW_S + 60,
    }
    const req = request()
    const withVp = await verify(await presentRaw({ ...base, nonce: req.nonce, vp: {} }), req)
    expect(failed(withVp)).toMatchObject({ signature: 'malformed' })
    const req2 = request()
    const iss = await verify(await presentRaw({ ...base, nonce: req2.nonce, iss: s.patient.did }), req2)
    expect(failed(iss)).toMatchObject({ holderBinding: 'holder_mismatch' })
  })

  it('refuses a vp+jwt presented by someone else than the credential subject', async () => {
    const req = request()
    const vp = await presentJwtVp({
      credentials: [licenceJwt],
      holder: s.patient.did,
      kid: `${s.patient.did}#controllerKey`,
      signer: s.patient.signer,
      format: 'vp+jwt',
      nonce: req.nonce,
      audience: VERIFIER,
      now: NOW,
    })
    expect(failed(await verify(vp, req))).toMatchObject({ holderBinding: 'holder_mismatch' })
  })
})
