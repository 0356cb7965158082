import { base64urlJson, parseBase64urlJson } from '@clavis/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  ethrDocument,
  memoryResolver,
  resolved,
  signRawJwt,
  type TestIdentity,
} from '../test/kits/identities'
import {
  createScenario,
  failedChecks as failed,
  licence,
  NOW,
  REVOKED_INDEX,
  type Scenario,
  signVc,
  statusEntry,
  VERIFIER,
} from '../test/kits/scenario'
import { createMemoryNonceStore } from './nonceStore'
import { presentJwtVp } from './presentJwtVp'
import { type VerifyPresentationParameters, verifyPresentation } from './verifyPresentation'

const NOW_S = Math.floor(NOW.getTime() / 1000)

let s: Scenario
let licenceJwt: string

beforeAll(async () => {
  s = await createScenario()
  licenceJwt = await signVc(licence(s), s.board)
})

/** A verifier's request: a nonce store and one nonce issued for {@link VERIFIER}. */
function request() {
  const nonces = createMemoryNonceStore()
  return { nonces, nonce: nonces.issue({ audience: VERIFIER, now: NOW }) }
}

/** A VP of `credentials` (the clinician's licence by default), signed by `holder`'s `#controllerKey`. */
const present = (
  nonce: string,
  options: { holder?: TestIdentity; credentials?: string[]; audience?: string; now?: Date } = {},
) => {
  const holder = options.holder ?? s.clinician
  return presentJwtVp({
    credentials: options.credentials ?? [licenceJwt],
    holder: holder.did,
    kid: `${holder.did}#controllerKey`,
    signer: holder.signer,
    nonce,
    audience: options.audience ?? VERIFIER,
    now: options.now ?? NOW,
  })
}

/** A VP signed by the clinician over a hand-made payload (for claims presentJwtVp would not make). */
const presentRaw = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  signRawJwt(
    { alg: 'ES256K', typ: 'JWT', kid: `${s.clinician.did}#controllerKey`, ...header },
    {
      iss: s.clinician.did,
      aud: VERIFIER,
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [licenceJwt],
      },
      ...payload,
    },
    s.clinician.signer,
  )

const verify = (
  jwt: string,
  req: ReturnType<typeof request>,
  overrides: Partial<VerifyPresentationParameters> = {},
) =>
  verifyPresentation({
    presentation: jwt,
    resolver: s.resolver,
    trust: s.trust,
    status: s.status,
    nonces: req.nonces,
    expect: { nonce: req.nonce, audience: VERIFIER },
    now: NOW,
    ...overrides,
  })

describe('verifyPresentation: JWT VP', () => {
  it("passes the holder's VP of their own licence", async () => {
    const req = request()
    const result = await verify(await present(req.nonce), req)
    expect(result).toMatchObject({
      valid: true,
      format: 'jwt_vp',
      holder: s.clinician.did,
      checks: {
        signature: { passed: true },
        holderBinding: { passed: true },
        nonceAudience: { passed: true },
      },
    })
    expect(result.credentials).toHaveLength(1)
    expect(result.credentials[0]).toMatchObject({
      valid: true,
      subject: s.clinician.did,
      issuer: s.board.did,
    })
  })

  it('refuses another nonce with nonce_mismatch', async () => {
    const req = request()
    const result = await verify(await present('not-the-nonce'), req)
    expect(result.valid).toBe(false)
    expect(failed(result)).toEqual({ nonceAudience: 'nonce_mismatch' })
  })

  it('refuses another audience with audience_mismatch', async () => {
    const req = request()
    const result = await verify(await present(req.nonce, { audience: 'did:web:evil.example' }), req)
    expect(failed(result)).toEqual({ nonceAudience: 'audience_mismatch' })
  })

  it('refuses an audience list naming other verifiers too', async () => {
    const req = request()
    const vp = await presentRaw({
      aud: [VERIFIER, 'did:web:evil.example'],
      nonce: req.nonce,
      iat: NOW_S,
      exp: NOW_S + 60,
    })
    expect(failed(await verify(vp, req))).toEqual({ nonceAudience: 'audience_mismatch' })
  })

  it('refuses a replay of the same VP with nonce_replayed', async () => {
    const req = request()
    const vp = await present(req.nonce)
    expect((await verify(vp, req)).valid).toBe(true)
    const replay = await verify(vp, req)
    expect(replay.valid).toBe(false)
    expect(failed(replay)).toEqual({ nonceAudience: 'nonce_replayed' })
  })

  it('refuses a VP without exp with missing_expiry', async () => {
    const req = request()
    const result = await verify(await presentRaw({ nonce: req.nonce, iat: NOW_S }), req)
    expect(failed(result)).toEqual({ nonceAudience: 'missing_expiry' })
  })

  it('refuses an expired VP', async () => {
    const req = request()
    const vp = await present(req.nonce, { now: new Date(NOW.getTime() - 10 * 60_000) })
    expect(failed(await verify(vp, req))).toEqual({ nonceAudience: 'expired' })
  })

  it('refuses a VP valid for more than 300 s', async () => {
    const req = request()
    const result = await verify(await presentRaw({ nonce: req.nonce, iat: NOW_S, exp: NOW_S + 600 }), req)
    expect(failed(result)).toEqual({ nonceAudience: 'expired' })
    const { nonceAudience } = result.checks
    expect(!nonceAudience.passed && nonceAudience.reason).toContain('300 s')
  })

  it('refuses a VP that is not valid yet (nbf in the future)', async () => {
    const req = request()
    const vp = await presentRaw({ nonce: req.nonce, nbf: NOW_S + 200, exp: NOW_S + 400 })
    expect(failed(await verify(vp, req))).toEqual({ nonceAudience: 'not_yet_valid' })
  })

  it('refuses a licence presented by someone other than its subject with holder_mismatch', async () => {
    const req = request()
    const result = await verify(await present(req.nonce, { holder: s.patient }), req)
    expect(result.valid).toBe(false)
    expect(failed(result)).toEqual({ holderBinding: 'holder_mismatch' })
    expect(result.credentials[0]?.valid).toBe(true)
  })

  it('refuses a tampered VP with invalid_signature and leaves the nonce unused', async () => {
    const req = request()
    const [header, payload, signature] = (await present(req.nonce)).split('.') as [string, string, string]
    const claims = parseBase64urlJson(payload) as Record<string, unknown>
    const tampered = `${header}.${base64urlJson({ ...claims, exp: (claims.exp as number) + 60 })}.${signature}`
    const result = await verify(tampered, req)
    expect(failed(result)).toEqual({ signature: 'invalid_signature', nonceAudience: 'not_checked' })
    expect((await verify(await present(req.nonce), req)).valid).toBe(true)
  })

  it('refuses a VP signed by a key that is only an assertion key of the holder', async () => {
    const req = request()
    const document = ethrDocument(s.clinician, { withControllerKey: true })
    document.authentication = []
    const resolver = memoryResolver({
      [s.clinician.did]: resolved(document),
      [s.board.did]: resolved(ethrDocument(s.board)),
    })
    const result = await verify(await present(req.nonce), req, { resolver })
    expect(failed(result)).toEqual({ signature: 'no_matching_key', nonceAudience: 'not_checked' })
  })

  it("refuses a VP holding a revoked licence on that credential's status check", async () => {
    const req = request()
    const revoked = await signVc(
      licence(s, { credentialStatus: statusEntry({ index: REVOKED_INDEX }) }),
      s.board,
    )
    const result = await verify(await present(req.nonce, { credentials: [revoked] }), req)
    expect(result.valid).toBe(false)
    expect(failed(result)).toEqual({})
    expect(result.credentials[0]?.checks.status).toMatchObject({ passed: false, code: 'revoked' })
  })

  it('refuses a VP with one good and one revoked licence', async () => {
    const req = request()
    const revoked = await signVc(
      licence(s, { credentialStatus: statusEntry({ index: REVOKED_INDEX }) }),
      s.board,
    )
    const result = await verify(await present(req.nonce, { credentials: [licenceJwt, revoked] }), req)
    expect(result.valid).toBe(false)
    expect(result.credentials.map((c) => c.valid)).toEqual([true, false])
  })

  it('refuses an alg none VP with unsupported_algorithm and checks nothing else', async () => {
    const req = request()
    const [, payload] = (await present(req.nonce)).split('.')
    const result = await verify(`${base64urlJson({ alg: 'none', typ: 'JWT' })}.${payload}.`, req)
    expect(result.valid).toBe(false)
    expect(failed(result)).toEqual({
      signature: 'unsupported_algorithm',
      holderBinding: 'not_checked',
      nonceAudience: 'not_checked',
    })
    expect(result.credentials).toEqual([])
  })

  it.each([
    ['no credentials', []],
    ['a non-string credential', [{ jwt: 'x' }]],
  ])('refuses a VP with %s as malformed', async (_, verifiableCredential) => {
    const req = request()
    const vp = await presentRaw({
      nonce: req.nonce,
      iat: NOW_S,
      exp: NOW_S + 60,
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential,
      },
    })
    const result = await verify(vp, req)
    expect(result.valid).toBe(false)
    expect(failed(result)).toMatchObject({ holderBinding: 'malformed' })
  })

  it('throws RangeError for a clock skew over 60 s or an invalid now', async () => {
    const req = request()
    const vp = await present(req.nonce)
    await expect(verify(vp, req, { clockSkewSeconds: 61 })).rejects.toThrow(RangeError)
    await expect(verify(vp, req, { now: new Date('nope') })).rejects.toThrow(RangeError)
    expect((await verify(vp, req)).valid).toBe(true)
  })

  it('rejects, without an unhandled rejection, when the status checker throws during a slow resolution', async () => {
    const req = request()
    const slow = {
      resolve: async (did: string) => {
        await new Promise((done) => setTimeout(done, 20))
        return s.resolver.resolve(did)
      },
    }
    const broken = {
      ...s.status,
      checkBitstring: async () => {
        throw new Error('status checker bug')
      },
    }
    const vp = await present(req.nonce)
    await expect(verify(vp, req, { resolver: slow, status: broken })).rejects.toThrow('status checker bug')
  })
})
