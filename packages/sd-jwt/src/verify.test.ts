import { createHmac } from 'node:crypto'
import type { CredentialType } from '@clavis/credentials'
import type { JwsAlgorithm } from '@clavis/crypto'
import { base64urlEncode, randomBytes } from '@clavis/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { DAY_MS, examples, issuerKeysFor, keyPair } from '../test/helpers'
import {
  decodeSegment,
  encodeDisclosure,
  flipChar,
  join,
  keyBindingFor,
  signJwt,
  split,
  withFreshKeyBinding,
} from '../test/tamper'
import { issueSdJwtVc } from './issue'
import { issueRawSdJwt } from './issue-raw'
import { presentSdJwtVc } from './present'
import type { SdJwtVerifyResult } from './verify'
import { verifySdJwtVc } from './verify'

const NONCE = 'n-0S6_WzA2Mj'
const AUDIENCE = 'did:ethr:0x14a34:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8c'
const issuerKey = keyPair('ES256K')

const choices: Record<CredentialType, { disclose: string[]; hidden: string[] }> = {
  PatientIdentityCredential: {
    disclose: ['name', 'birthDate'],
    hidden: ['identifier', 'insuranceMemberId', 'address', 'identityAssuranceLevel'],
  },
  ClinicianLicenseCredential: { disclose: ['npi'], hidden: [] },
  AccessGrantCredential: { disclose: [], hidden: ['records'] },
}

async function issue(type: CredentialType, holder: ReturnType<typeof keyPair>) {
  const { issuer, subject, claims } = examples[type]
  const validFrom = new Date()
  return issueSdJwtVc({
    type,
    issuer,
    kid: `${issuer}#controller`,
    alg: 'ES256K',
    signer: issuerKey.signer,
    subject,
    claims,
    holderJwk: holder.jwk,
    validFrom,
    validUntil: new Date(validFrom.getTime() + 30 * DAY_MS),
    status: { status_list: { idx: 7, uri: 'https://agent.example.org/status/1' } },
  })
}

function verifyFor(
  type: CredentialType,
  presentation: string,
  extra: Partial<Parameters<typeof verifySdJwtVc>[0]> = {},
) {
  return verifySdJwtVc({
    presentation,
    issuerKey: issuerKeysFor(examples[type].issuer, issuerKey),
    nonce: NONCE,
    audience: AUDIENCE,
    ...extra,
  })
}

function expectFailure(result: SdJwtVerifyResult, code: string) {
  expect(result.ok ? 'ok' : result.code, result.ok ? '' : result.reason).toBe(code)
}

describe('issue → present → verify', () => {
  const types: CredentialType[] = [
    'PatientIdentityCredential',
    'ClinicianLicenseCredential',
    'AccessGrantCredential',
  ]
  const holderAlgs: JwsAlgorithm[] = ['ES256K', 'ES256']
  for (const type of types)
    for (const holderAlg of holderAlgs)
      it(`${type} with an ${holderAlg} holder key`, async () => {
        const holder = keyPair(holderAlg)
        const credential = await issue(type, holder)
        const { disclose, hidden } = choices[type]
        const presentation = await presentSdJwtVc({
          credential,
          disclose,
          keyBinding: { alg: holderAlg, signer: holder.signer, nonce: NONCE, audience: AUDIENCE },
        })
        const result = await verifyFor(type, presentation)
        if (!result.ok) throw new Error(`${result.code}: ${result.reason}`)
        const all = examples[type].claims
        for (const name of disclose) expect(result.claims[name]).toEqual(all[name])
        for (const name of hidden) expect(result.claims).not.toHaveProperty(name)
        for (const name of Object.keys(all).filter((n) => !disclose.includes(n) && !hidden.includes(n)))
          expect(result.claims[name]).toEqual(all[name])
        expect(result.claims).not.toHaveProperty('_sd')
        expect(result.claims).not.toHaveProperty('_sd_alg')
        expect(result.disclosedNames).toEqual([...disclose].sort())
        expect(result.claims.iss).toBe(examples[type].issuer)
        expect(result.claims.sub).toBe(examples[type].subject)
        expect(result.payload.vct).toBe(`urn:clavis:vct:${type}:1`)
        expect(result.payload.status).toEqual({
          status_list: { idx: 7, uri: 'https://agent.example.org/status/1' },
        })
        expect(typeof result.payload.exp).toBe('number')
        expect(result.holderJwk).toEqual(holder.jwk)
        expect(result.header).toEqual({
          alg: 'ES256K',
          typ: 'dc+sd-jwt',
          kid: `${examples[type].issuer}#controller`,
        })
        expect(result.keyBinding?.nonce).toBe(NONCE)
        expect(result.keyBinding?.audience).toBe(AUDIENCE)
      })
})

describe('verifySdJwtVc refuses', () => {
  const type = 'PatientIdentityCredential'
  const holder = keyPair('ES256')
  const kbOptions = { alg: 'ES256', nonce: NONCE, aud: AUDIENCE }
  let credential: string
  let presentation: string

  beforeAll(async () => {
    credential = await issue(type, holder)
    presentation = await presentSdJwtVc({
      credential,
      disclose: ['name', 'birthDate'],
      keyBinding: { alg: 'ES256', signer: holder.signer, nonce: NONCE, audience: AUDIENCE },
    })
    expect((await verifyFor(type, presentation)).ok).toBe(true)
  })

  it('a tampered issuer signature', async () => {
    const parts = split(presentation)
    const [h, p, s] = parts.jwt.split('.')
    const tampered = await withFreshKeyBinding(
      { ...parts, jwt: `${h}.${p}.${flipChar(s!)}` },
      holder.signer,
      kbOptions,
    )
    expectFailure(await verifyFor(type, tampered), 'invalid_signature')
  })

  it('a tampered payload', async () => {
    const parts = split(presentation)
    const [h, p, s] = parts.jwt.split('.')
    const payload = {
      ...decodeSegment(p!),
      sub: 'did:ethr:0x14a34:0x0000000000000000000000000000000000000001',
    }
    const jwt = await signJwt(decodeSegment(h!), payload, { signature: s! })
    const tampered = await withFreshKeyBinding({ ...parts, jwt }, holder.signer, kbOptions)
    expectFailure(await verifyFor(type, tampered), 'invalid_signature')
  })

  it('a tampered disclosure', async () => {
    const parts = split(presentation)
    const disclosures = parts.disclosures.map((d) => {
      const item = decodeSegment(d) as unknown as unknown[]
      return item[1] === 'birthDate' ? encodeDisclosure([item[0], 'birthDate', '1990-01-01']) : d
    })
    const tampered = await withFreshKeyBinding({ jwt: parts.jwt, disclosures }, holder.signer, kbOptions)
    expectFailure(await verifyFor(type, tampered), 'disclosure_invalid')
  })

  it('a duplicated disclosure', async () => {
    const parts = split(presentation)
    const disclosures = [...parts.disclosures, parts.disclosures[0]!]
    const tampered = await withFreshKeyBinding({ jwt: parts.jwt, disclosures }, holder.signer, kbOptions)
    expectFailure(await verifyFor(type, tampered), 'disclosure_invalid')
  })

  it('an unreferenced disclosure (another salt)', async () => {
    const parts = split(presentation)
    const extra = encodeDisclosure([base64urlEncode(randomBytes(16)), 'identityAssuranceLevel', 'IAL3'])
    const tampered = await withFreshKeyBinding(
      { jwt: parts.jwt, disclosures: [...parts.disclosures, extra] },
      holder.signer,
      kbOptions,
    )
    expectFailure(await verifyFor(type, tampered), 'disclosure_invalid')
  })

  it('a disclosure that is not a JSON array', async () => {
    const parts = split(presentation)
    const tampered = await withFreshKeyBinding(
      { jwt: parts.jwt, disclosures: [...parts.disclosures, encodeDisclosure(['only-salt'])] },
      holder.signer,
      kbOptions,
    )
    expectFailure(await verifyFor(type, tampered), 'malformed')
  })

  it('a missing key-binding JWT when it is required (the default)', async () => {
    const { kb: _kb, ...parts } = split(presentation)
    expectFailure(await verifyFor(type, join({ ...parts, kb: '' })), 'key_binding_missing')
  })

  it('nothing when key binding is not required and absent', async () => {
    const parts = split(presentation)
    const result = await verifyFor(type, join({ ...parts, kb: '' }), { requireKeyBinding: false })
    expect(result.ok && result.keyBinding).toBeUndefined()
    expect(result.ok).toBe(true)
  })

  it('a key-binding JWT with the wrong nonce', async () => {
    expectFailure(await verifyFor(type, presentation, { nonce: 'another-nonce' }), 'nonce_mismatch')
  })

  it('a key-binding JWT when no expected nonce or audience is given', async () => {
    expectFailure(await verifyFor(type, presentation, { nonce: undefined }), 'nonce_mismatch')
    expectFailure(await verifyFor(type, presentation, { audience: undefined }), 'audience_mismatch')
  })

  it('a key-binding JWT for another audience', async () => {
    expectFailure(
      await verifyFor(type, presentation, { audience: 'did:web:other.example' }),
      'audience_mismatch',
    )
  })

  it('a key-binding JWT signed by a key other than cnf.jwk', async () => {
    const other = keyPair('ES256')
    const tampered = await withFreshKeyBinding(split(presentation), other.signer, kbOptions)
    expectFailure(await verifyFor(type, tampered), 'key_binding_invalid')
  })

  it('a key-binding JWT whose alg does not fit the cnf.jwk curve', async () => {
    const other = keyPair('ES256K')
    const tampered = await withFreshKeyBinding(split(presentation), other.signer, {
      ...kbOptions,
      alg: 'ES256K',
    })
    expectFailure(await verifyFor(type, tampered), 'key_binding_invalid')
  })

  it('a key-binding JWT over other disclosures (sd_hash)', async () => {
    const parts = split(presentation)
    const tampered = join({ ...parts, disclosures: parts.disclosures.slice(1) })
    expectFailure(await verifyFor(type, tampered), 'key_binding_invalid')
  })

  it('a key-binding JWT with an extra header parameter or another typ', async () => {
    const parts = split(presentation)
    for (const header of [{ kid: 'x' }, { typ: 'JWT' }]) {
      const sdJwt = `${[parts.jwt, ...parts.disclosures].join('~')}~`
      const kb = await keyBindingFor(sdJwt, holder.signer, { ...kbOptions, header })
      expectFailure(await verifyFor(type, sdJwt + kb), 'key_binding_invalid')
    }
  })

  it('a stale or future key-binding JWT', async () => {
    const old = await presentSdJwtVc({
      credential,
      disclose: ['name'],
      keyBinding: {
        alg: 'ES256',
        signer: holder.signer,
        nonce: NONCE,
        audience: AUDIENCE,
        issuedAt: new Date(Date.now() - 6 * 60_000),
      },
    })
    expectFailure(await verifyFor(type, old), 'key_binding_stale')
    const future = await presentSdJwtVc({
      credential,
      disclose: ['name'],
      keyBinding: {
        alg: 'ES256',
        signer: holder.signer,
        nonce: NONCE,
        audience: AUDIENCE,
        issuedAt: new Date(Date.now() + 120_000),
      },
    })
    expectFailure(await verifyFor(type, future), 'key_binding_stale')
    expect((await verifyFor(type, future, { now: new Date(Date.now() + 120_000) })).ok).toBe(true)
  })

  it('alg none in the issuer header (with or without a signature)', async () => {
    const parts = split(presentation)
    const [h, p, s] = parts.jwt.split('.')
    for (const signature of [s!, '']) {
      const jwt = await signJwt({ ...decodeSegment(h!), alg: 'none' }, decodeSegment(p!), { signature })
      const tampered = await withFreshKeyBinding({ ...parts, jwt }, holder.signer, kbOptions)
      const result = await verifyFor(type, tampered)
      expect(result.ok).toBe(false)
      if (signature) expectFailure(result, 'unsupported_algorithm')
    }
  })

  it('alg none in the key-binding header', async () => {
    const parts = split(presentation)
    const sdJwt = `${[parts.jwt, ...parts.disclosures].join('~')}~`
    const kb = await keyBindingFor(sdJwt, holder.signer, { ...kbOptions, header: { alg: 'none' } })
    expectFailure(await verifyFor(type, sdJwt + kb), 'unsupported_algorithm')
    const unsigned = `${kb.slice(0, kb.lastIndexOf('.'))}.`
    expect((await verifyFor(type, sdJwt + unsigned)).ok).toBe(false)
  })

  it('HS256 keyed with the issuer public key (key confusion)', async () => {
    const parts = split(presentation)
    const [h, p] = parts.jwt.split('.')
    const header = `${base64urlEncode(new TextEncoder().encode(JSON.stringify({ ...decodeSegment(h!), alg: 'HS256' })))}`
    const mac = createHmac('sha256', Buffer.from(issuerKey.publicKey))
      .update(`${header}.${p}`)
      .digest('base64url')
    const tampered = await withFreshKeyBinding(
      { ...parts, jwt: `${header}.${p}.${mac}` },
      holder.signer,
      kbOptions,
    )
    expectFailure(await verifyFor(type, tampered), 'unsupported_algorithm')
  })

  it('an extra header parameter (jku), another typ, or no typ', async () => {
    const parts = split(presentation)
    const [h, p] = parts.jwt.split('.')
    const base = decodeSegment(h!)
    const { typ: _typ, ...noTyp } = base
    for (const header of [
      { ...base, jku: 'https://evil.example/jwks' },
      { ...base, typ: 'vc+sd-jwt' },
      noTyp,
    ]) {
      const jwt = await signJwt(header, decodeSegment(p!), issuerKey.signer)
      const tampered = await withFreshKeyBinding({ ...parts, jwt }, holder.signer, kbOptions)
      expectFailure(await verifyFor(type, tampered), 'unexpected_header')
    }
  })

  it('a kid of another DID, or an iss that is not a DID', async () => {
    const parts = split(presentation)
    const [h, p] = parts.jwt.split('.')
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [
        { ...decodeSegment(h!), kid: 'did:web:attacker.example#key-1' },
        decodeSegment(p!),
        'unexpected_header',
      ],
      [decodeSegment(h!), { ...decodeSegment(p!), iss: 'Springfield Hospital' }, 'malformed'],
      [decodeSegment(h!), { ...decodeSegment(p!), iss: `${examples[type].issuer}#controller` }, 'malformed'],
    ]
    for (const [header, payload, code] of cases) {
      const jwt = await signJwt(header, payload, issuerKey.signer)
      const tampered = await withFreshKeyBinding({ ...parts, jwt }, holder.signer, kbOptions)
      const anyIssuer = async () => [{ alg: 'ES256K' as const, publicKey: issuerKey.publicKey }]
      expectFailure(await verifyFor(type, tampered, { issuerKey: anyIssuer }), code)
    }
    const relative = await signJwt(
      { ...decodeSegment(h!), kid: '#controller' },
      decodeSegment(p!),
      issuerKey.signer,
    )
    const ok = await withFreshKeyBinding({ ...parts, jwt: relative }, holder.signer, kbOptions)
    expect((await verifyFor(type, ok)).ok).toBe(true)
  })

  it('no key of the issuer, a key of another alg, or a failing key lookup', async () => {
    const empty = async () => []
    expectFailure(await verifyFor(type, presentation, { issuerKey: empty }), 'no_matching_key')
    const p256 = keyPair('ES256')
    const wrongAlg = issuerKeysFor(examples[type].issuer, p256)
    expectFailure(await verifyFor(type, presentation, { issuerKey: wrongAlg }), 'no_matching_key')
    const throwing = async () => {
      throw new Error('resolver down')
    }
    expectFailure(await verifyFor(type, presentation, { issuerKey: throwing }), 'no_matching_key')
  })

  it('a signature by another key of the issuer (rotated away)', async () => {
    const other = keyPair('ES256K')
    const keys = issuerKeysFor(examples[type].issuer, other)
    expectFailure(await verifyFor(type, presentation, { issuerKey: keys }), 'invalid_signature')
    const both = issuerKeysFor(examples[type].issuer, other, issuerKey)
    expect((await verifyFor(type, presentation, { issuerKey: both })).ok).toBe(true)
  })

  it('an _sd_alg other than sha-256', async () => {
    const raw = await issueRawSdJwt({
      payload: { iss: examples[type].issuer, cnf: { jwk: holder.jwk }, a: 1 },
      disclosureFrame: { _sd: ['a'] },
      alg: 'ES256K',
      signer: issuerKey.signer,
    })
    const [h, p] = split(raw).jwt.split('.')
    const jwt = await signJwt(
      decodeSegment(h!),
      { ...decodeSegment(p!), _sd_alg: 'sha-512' },
      issuerKey.signer,
    )
    const tampered = await withFreshKeyBinding(
      { jwt, disclosures: split(raw).disclosures },
      holder.signer,
      kbOptions,
    )
    expectFailure(await verifyFor(type, tampered), 'disclosure_invalid')
  })

  it('a disclosed claim that must stay visible (exp), even when the issuer signed it', async () => {
    const raw = await issueRawSdJwt({
      payload: { iss: examples[type].issuer, cnf: { jwk: holder.jwk }, exp: 4102444800 },
      disclosureFrame: { _sd: ['exp'] },
      alg: 'ES256K',
      signer: issuerKey.signer,
      refuseDisclosable: [],
    })
    const presented = await withFreshKeyBinding(split(raw), holder.signer, kbOptions)
    expectFailure(await verifyFor(type, presented), 'disclosure_invalid')
  })

  it('input over the size limit', async () => {
    const parts = split(presentation)
    const padding = encodeDisclosure([base64urlEncode(randomBytes(16)), 'pad', 'x'.repeat(200_000)])
    const big = await withFreshKeyBinding(
      { ...parts, disclosures: [...parts.disclosures, padding] },
      holder.signer,
      kbOptions,
    )
    expect(big.length).toBeGreaterThan(256 * 1024)
    expectFailure(await verifyFor(type, big), 'malformed')
  })

  it('garbage', async () => {
    const garbage: unknown[] = [
      '',
      '~',
      '~~~',
      'not a jwt',
      'a.b.c~',
      `${split(presentation).jwt}`,
      `${split(presentation).jwt.split('.').slice(0, 2).join('.')}~`,
      'eyJhbGciOiJFUzI1NksifQ.W10.c2ln~',
      `${presentation}~`,
      `${split(presentation).jwt}~~${split(presentation).kb}`,
      `${split(presentation).jwt}~${split(presentation).kb}.x`,
      null,
      42,
      { presentation },
    ]
    for (const input of garbage) {
      const result = await verifyFor(type, input as string)
      expect(result.ok, String(input).slice(0, 40)).toBe(false)
    }
  })
})
