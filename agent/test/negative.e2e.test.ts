import { parseBase64urlJson } from '@clavis/crypto'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { createStatusChecker, presentJwtVp, trustListPolicy, verifyJwtCredential } from '@clavis/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from './harness'
import {
  agentCalls,
  alterJwt,
  bindKey,
  decodeJwt,
  encodeDisclosure,
  type HolderKey,
  holderKey,
  type Json,
  resign,
  tamperSignature,
  withoutKeyBinding,
} from './holders'

// The negative list (issue 3): every way a credential or presentation must be refused, through the
// agent's API on the real chain, each with the check that refuses it and its stable code.

const OTHER_DID = 'did:ethr:0x7a69:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8b'

describe('verification refuses, with the reason', () => {
  let t: TestAgent
  let api: ReturnType<typeof agentCalls>
  const clinician = holderKey()
  const patient = holderKey()
  const stranger = holderKey()
  let licence: { id: string; jwt: string }
  let patientSd: { id: string; jwt: string }
  let hospitalLists: Json[]

  const signerOf = async (did: string) => (await t.agent.ctx.signingKeys.signerFor(did)).signer
  const issueLicence = async (extra: Record<string, unknown> = {}) => {
    const res = await api.issue(t.board, {
      type: 'ClinicianLicenseCredential',
      subject: clinician.did,
      claims: licenceClaims(),
      validUntil: inDays(365),
      ...extra,
    })
    expect(res.status).toBe(201)
    return res.body as { id: string; jwt: string }
  }
  /** The licence re-signed by the board after `mutate` changed its payload. */
  const craft = async (mutate: (payload: Json) => void) =>
    resign(licence.jwt, await signerOf(t.board.did), (_h, p) => mutate(p))
  /** Presents `sdJwt` (ending in `~`) with a KB-JWT (the patient's, unless told) for a fresh request. */
  const presentSd = async (
    sdJwt: string,
    kb: { signer?: typeof patient.signer; nonce?: string; audience?: string } = {},
  ) => {
    const request = await api.presentationRequest()
    const { nonce, audience } = request
    const presentation = await bindKey({
      sdJwt,
      signer: kb.signer ?? patient.signer,
      nonce: kb.nonce ?? nonce,
      audience: kb.audience ?? audience,
    })
    return api.verifyPresentation(presentation, request)
  }
  const sdParts = () => withoutKeyBinding(patientSd.jwt).split('~').slice(0, -1)
  const vp = (holder: HolderKey, asked: { nonce: string; audience: string }) =>
    presentJwtVp({
      credentials: [licence.jwt],
      holder: holder.did,
      kid: holder.kid,
      signer: holder.signer,
      ...asked,
    })
  const refused = (res: Json, check: string, code: string) => {
    expect(res.valid).toBe(false)
    expect(res.checks[check]).toMatchObject({ passed: false, code })
  }

  beforeAll(async () => {
    t = await startTestAgent()
    api = agentCalls(t)
    licence = await issueLicence()
    const sd = await api.issue(t.hospital, {
      type: 'PatientIdentityCredential',
      format: 'dc+sd-jwt',
      subject: patient.did,
      holderJwk: patient.jwk,
      claims: patientClaims(),
      validUntil: inDays(365),
    })
    expect(sd.status).toBe(201)
    patientSd = sd.body
    const hospitalVc = await api.issue(t.hospital, {
      type: 'PatientIdentityCredential',
      subject: patient.did,
      claims: patientClaims(),
      validUntil: inDays(365),
    })
    expect(hospitalVc.status).toBe(201)
    hospitalLists = decodeJwt(hospitalVc.body.jwt).payload.vc.credentialStatus
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('the untouched licence and patient credential are valid (baseline)', async () => {
    expect((await api.verify(licence.jwt)).valid).toBe(true)
    expect((await api.verify(await craft(() => {}))).valid).toBe(true)
    expect((await presentSd(withoutKeyBinding(patientSd.jwt))).valid).toBe(true)
  })

  describe('JWT-VC signatures and headers', () => {
    const EVIL = { jku: 'https://evil.example/keys' }
    it.each<[string, string, () => Promise<string> | string]>([
      [
        'an altered payload',
        'invalid_signature',
        () => alterJwt(licence.jwt, { payload: (p) => (p.sub = stranger.did) }),
      ],
      ['an altered signature', 'invalid_signature', () => tamperSignature(licence.jwt)],
      [
        'alg none',
        'unsupported_algorithm',
        () => alterJwt(licence.jwt, { header: { alg: 'none' }, signature: '' }),
      ],
      ['HS256', 'unsupported_algorithm', () => alterJwt(licence.jwt, { header: { alg: 'HS256' } })],
      ['a jku header', 'unexpected_header', () => alterJwt(licence.jwt, { header: EVIL })],
      [
        'a jku header, signed by the board',
        'unexpected_header',
        async () => resign(licence.jwt, await signerOf(t.board.did), (h) => Object.assign(h, EVIL)),
      ],
    ])('%s → signature %s', async (_name, code, forge) => {
      refused(await api.verify(await forge()), 'signature', code)
    })

    it('vc.issuer that disagrees with the signer → signerIsIssuer issuer_mismatch', async () => {
      const res = await api.verify(await craft((p) => Object.assign(p.vc, { issuer: t.hospital.did })))
      expect(res.checks.signature.passed).toBe(true)
      refused(res, 'signerIsIssuer', 'issuer_mismatch')
    })
  })

  describe('SD-JWT VC: signature, headers, disclosures', () => {
    const tampered = (encoded: string) => {
      const item = parseBase64urlJson(encoded) as unknown[]
      return encodeDisclosure([item[0], item[1], 'tampered'])
    }
    const unreferenced = encodeDisclosure(['c2FsdHNhbHRzYWx0', 'insuranceMemberId', 'XZ-1'])
    it.each<[string, string, (parts: string[]) => Promise<string[]> | string[]]>([
      [
        'an altered issuer signature',
        'invalid_signature',
        ([jwt, ...rest]) => [tamperSignature(jwt!), ...rest],
      ],
      [
        'alg none',
        'unsupported_algorithm',
        ([jwt, ...rest]) => [alterJwt(jwt!, { header: { alg: 'none' }, signature: 'AA' }), ...rest],
      ],
      [
        'a jku header, signed by the hospital',
        'unexpected_header',
        async ([jwt, ...rest]) => [
          await resign(jwt!, await signerOf(t.hospital.did), (h) =>
            Object.assign(h, { jku: 'https://e.example' }),
          ),
          ...rest,
        ],
      ],
      ['a tampered disclosure', 'disclosure_invalid', ([jwt, d, ...rest]) => [jwt!, tampered(d!), ...rest]],
      ['a duplicated disclosure', 'disclosure_invalid', ([jwt, d, ...rest]) => [jwt!, d!, d!, ...rest]],
      ['an unreferenced disclosure', 'disclosure_invalid', (parts) => [...parts, unreferenced]],
    ])('%s → credential signature %s', async (_name, code, forge) => {
      const res = await presentSd(`${(await forge(sdParts())).join('~')}~`)
      expect(res.valid).toBe(false)
      refused(res.credentials[0], 'signature', code)
    })
  })

  describe('key binding, nonce, audience, holder', () => {
    it('no key-binding JWT → holderBinding key_binding_missing', async () => {
      const asked = await api.presentationRequest()
      const res = await api.verifyPresentation(withoutKeyBinding(patientSd.jwt), asked)
      refused(res, 'holderBinding', 'key_binding_missing')
    })

    it.each<[string, string, string, Parameters<typeof presentSd>[1]]>([
      ['another nonce', 'nonceAudience', 'nonce_mismatch', { nonce: 'not-the-nonce-asked-for' }],
      ['another audience', 'nonceAudience', 'audience_mismatch', { audience: OTHER_DID }],
      ['another key', 'holderBinding', 'key_binding_invalid', { signer: stranger.signer }],
    ])('KB-JWT with %s → %s %s', async (_name, check, code, kb) => {
      refused(await presentSd(withoutKeyBinding(patientSd.jwt), kb), check, code)
    })

    it.each([
      ['another nonce', 'nonce_mismatch', { nonce: 'not-the-nonce' }],
      ['another audience', 'audience_mismatch', { audience: OTHER_DID }],
    ])('JWT VP with %s → nonceAudience %s', async (_name, code, change) => {
      const asked = await api.presentationRequest()
      const res = await api.verifyPresentation(await vp(clinician, { ...asked, ...change }), asked)
      refused(res, 'nonceAudience', code)
    })

    it.each(['dc+sd-jwt', 'jwt_vp'])('the same %s presentation twice → nonce_replayed', async (format) => {
      const asked = await api.presentationRequest()
      const presentation =
        format === 'jwt_vp'
          ? await vp(clinician, asked)
          : await presentSdJwtVc({
              credential: patientSd.jwt,
              disclose: ['name'],
              keyBinding: {
                alg: 'ES256K',
                signer: patient.signer,
                nonce: asked.nonce,
                audience: asked.audience,
              },
            })
      expect((await api.verifyPresentation(presentation, asked)).valid).toBe(true)
      refused(await api.verifyPresentation(presentation, asked), 'nonceAudience', 'nonce_replayed')
    })

    it('a presenter who is not the subject → holderBinding holder_mismatch', async () => {
      const asked = await api.presentationRequest()
      const res = await api.verifyPresentation(await vp(stranger, asked), asked)
      refused(res, 'holderBinding', 'holder_mismatch')
    })
  })

  describe('validity period', () => {
    const now = () => Math.floor(Date.now() / 1000)
    const expired = (p: Json) => {
      const [from, until] = [now() - 2 * 86400, now() - 86400]
      Object.assign(p, { iat: from, nbf: from, exp: until })
      // VC 1.1 names: a VC 1.1 JWT with VC 2.0's validFrom/validUntil is refused as malformed.
      Object.assign(p.vc, { issuanceDate: new Date(from * 1000).toISOString() })
      Object.assign(p.vc, { expirationDate: new Date(until * 1000).toISOString() })
    }
    const noExpiry = (p: Json) => {
      delete p.exp
      delete p.vc.validUntil
      delete p.vc.expirationDate
    }
    it.each<[string, string, () => Promise<string>]>([
      ['expired, crafted', 'expired', () => craft(expired)],
      [
        'not yet valid, issued through the API',
        'not_yet_valid',
        async () => (await issueLicence({ validFrom: inDays(10), validUntil: inDays(400) })).jwt,
      ],
      ['a licence without expiry, crafted', 'missing_expiry', () => craft(noExpiry)],
    ])('%s → validityPeriod %s', async (_name, code, forge) => {
      refused(await api.verify(await forge()), 'validityPeriod', code)
    })

    it('the API refuses to issue a credential that is already expired (422, path validUntil)', async () => {
      const body = {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validFrom: inDays(-20),
        validUntil: inDays(-10),
      }
      const res = await api.issue(t.board, body)
      expect(res.status).toBe(422)
      expect(res.body).toMatchObject({ code: 'invalid_claims', path: 'validUntil' })
    })

    it('the API refuses to issue a licence without expiry (422 invalid_claims)', async () => {
      const body = { type: 'ClinicianLicenseCredential', subject: clinician.did, claims: licenceClaims() }
      const res = await api.issue(t.board, body)
      expect(res.status).toBe(422)
      expect(res.body.code).toBe('invalid_claims')
    })
  })

  describe('status and trust', () => {
    it('JWT-VC: suspended → suspended; reinstated → valid; revoked → revoked', async () => {
      const a = await issueLicence()
      expect((await api.setStatus(t.board, a.id, 'suspend')).status).toBe(200)
      refused(await api.verify(a.jwt), 'status', 'suspended')
      expect((await api.setStatus(t.board, a.id, 'reinstate')).status).toBe(200)
      expect((await api.verify(a.jwt)).valid).toBe(true)
      expect((await api.setStatus(t.board, a.id, 'revoke')).status).toBe(200)
      refused(await api.verify(a.jwt), 'status', 'revoked')
    })

    it('SD-JWT VC (token status list): suspended → suspended; reinstated → valid', async () => {
      expect((await api.setStatus(t.hospital, patientSd.id, 'suspend')).status).toBe(200)
      const suspended = await presentSd(withoutKeyBinding(patientSd.jwt))
      refused(suspended.credentials[0], 'status', 'suspended')
      expect(suspended.valid).toBe(false)
      expect((await api.setStatus(t.hospital, patientSd.id, 'reinstate')).status).toBe(200)
      expect((await presentSd(withoutKeyBinding(patientSd.jwt))).valid).toBe(true)
    })

    it('an issuer the verifier no longer trusts → issuerTrust untrusted_issuer; trusted again → valid', async () => {
      const path = `/v1/organisations/${t.hospital.id}/trust`
      const removed = await t.request('DELETE', `${path}/${encodeURIComponent(t.board.did)}`, {
        token: t.hospital.token,
      })
      expect(removed.status).toBe(200)
      try {
        refused(await api.verify(licence.jwt), 'issuerTrust', 'untrusted_issuer')
      } finally {
        const body = { issuer: t.board.did, types: ['ClinicianLicenseCredential'] }
        expect((await t.request('POST', path, { token: t.hospital.token, body })).status).toBe(201)
      }
      expect((await api.verify(licence.jwt)).valid).toBe(true)
    })

    /** Points every status entry of the licence elsewhere (`url` of the entry, or a new index). */
    const pointed = (to: (e: Json, i: number) => { url?: string; index?: string }) =>
      craft((p) => {
        p.vc.credentialStatus.forEach((e: Json, i: number) => {
          const { url, index } = to(e, i)
          e.statusListCredential = url ?? e.statusListCredential
          e.statusListIndex = index ?? e.statusListIndex
          e.id = `${e.statusListCredential}#${e.statusListIndex}`
        })
      })
    const moved = (e: Json) =>
      `http://localhost:${new URL(t.url).port}${new URL(e.statusListCredential).pathname}`
    it.each<[string, string, string, (e: Json, i: number) => { url?: string; index?: string }]>([
      [
        "the hospital's list",
        'status_list_invalid',
        'not issued by the credential issuer',
        (_e, i) => ({
          url: hospitalLists[i]!.statusListCredential,
        }),
      ],
      [
        // The agent's own list under another spelling of its host is a loopback fetch: refused.
        'its own list by another host name (localhost)',
        'status_unknown',
        'could not be fetched',
        (e) => ({
          url: moved(e),
        }),
      ],
      [
        'an unreachable list',
        'status_unknown',
        'could not be fetched',
        () => ({ url: 'http://127.0.0.1:1/l' }),
      ],
      ['an index beyond the list', 'status_unknown', 'outside the status list', () => ({ index: '200000' })],
    ])('status entries pointing at %s → status %s', async (_name, code, reason, to) => {
      const res = await api.verify(await pointed(to))
      refused(res, 'status', code)
      expect(res.checks.status.reason).toContain(reason)
    })

    it('a stale list (verified an hour after it was signed) → status_unknown', async () => {
      const { resolver } = t.agent.ctx
      const status = createStatusChecker({
        resolver,
        fetchList: async (url) => {
          const res = await t.agent.app.request(new URL(url).pathname)
          if (!res.ok) throw new Error(`HTTP ${res.status}`)
          return res.text()
        },
      })
      const trust = trustListPolicy([{ issuer: t.board.did, types: ['ClinicianLicenseCredential'] }])
      expect((await verifyJwtCredential({ jwt: licence.jwt, resolver, trust, status })).valid).toBe(true)
      status.clear()
      const now = new Date(Date.now() + 3600_000)
      const later = await verifyJwtCredential({ jwt: licence.jwt, resolver, trust, status, now })
      refused(later, 'status', 'status_unknown')
      expect(later.checks.status.passed === false && later.checks.status.reason).toContain('ttl')
    })
  })
})
