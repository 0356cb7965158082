import { createHmac } from 'node:crypto'
import { base64urlEncode, randomBytes } from '@clavis/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkPresentation, decoded, examples, type IssuerKey, issueExample, keyPair } from '../test/helpers'
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
import { disclosedClaims } from './disclosures'
import { issueRawSdJwt } from './issue-raw'
import { decodeKeyBinding } from './key-binding'
import { presentSdJwtVc } from './present'

const NONCE = 'n-0S6_WzA2Mj'
const AUDIENCE = 'did:ethr:0x14a34:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8c'
const issuerKey = keyPair('ES256K')

const verify = (presentation: string, keys: IssuerKey[] = [issuerKey]) =>
  checkPresentation(presentation, keys)

function expectFailure(result: ReturnType<typeof checkPresentation>, code: string) {
  expect(result.ok ? 'ok' : result.error.code, result.ok ? '' : result.error.reason).toBe(code)
}

describe('the verification steps refuse', () => {
  const type = 'PatientIdentityCredential'
  const holder = keyPair('ES256')
  const kbOptions = { alg: 'ES256', nonce: NONCE, aud: AUDIENCE }
  let credential: string
  let presentation: string

  beforeAll(async () => {
    credential = await issueExample(type, holder, issuerKey)
    presentation = await presentSdJwtVc({
      credential,
      disclose: ['name', 'birthDate'],
      keyBinding: { alg: 'ES256', signer: holder.signer, nonce: NONCE, audience: AUDIENCE },
    })
    expect(verify(presentation).ok).toBe(true)
  })

  it('a tampered issuer signature', async () => {
    const parts = split(presentation)
    const [h, p, s] = parts.jwt.split('.')
    const tampered = await withFreshKeyBinding(
      { ...parts, jwt: `${h}.${p}.${flipChar(s!)}` },
      holder.signer,
      kbOptions,
    )
    expectFailure(verify(tampered), 'invalid_signature')
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
    expectFailure(verify(tampered), 'invalid_signature')
  })

  it('a tampered disclosure', async () => {
    const parts = split(presentation)
    const disclosures = parts.disclosures.map((d) => {
      const item = decodeSegment(d) as unknown as unknown[]
      return item[1] === 'birthDate' ? encodeDisclosure([item[0], 'birthDate', '1990-01-01']) : d
    })
    const tampered = await withFreshKeyBinding({ jwt: parts.jwt, disclosures }, holder.signer, kbOptions)
    expectFailure(verify(tampered), 'disclosure_invalid')
  })

  it('a duplicated disclosure', async () => {
    const parts = split(presentation)
    const disclosures = [...parts.disclosures, parts.disclosures[0]!]
    const tampered = await withFreshKeyBinding({ jwt: parts.jwt, disclosures }, holder.signer, kbOptions)
    expectFailure(verify(tampered), 'disclosure_invalid')
  })

  it('an unreferenced disclosure (another salt)', async () => {
    const parts = split(presentation)
    const extra = encodeDisclosure([base64urlEncode(randomBytes(16)), 'identityAssuranceLevel', 'IAL3'])
    const tampered = await withFreshKeyBinding(
      { jwt: parts.jwt, disclosures: [...parts.disclosures, extra] },
      holder.signer,
      kbOptions,
    )
    expectFailure(verify(tampered), 'disclosure_invalid')
  })

  it('a disclosure that is not a JSON array', async () => {
    const parts = split(presentation)
    const tampered = await withFreshKeyBinding(
      { jwt: parts.jwt, disclosures: [...parts.disclosures, encodeDisclosure(['only-salt'])] },
      holder.signer,
      kbOptions,
    )
    expectFailure(verify(tampered), 'malformed')
  })

  it('a missing key-binding JWT when it is required (the default)', async () => {
    const { kb: _kb, ...parts } = split(presentation)
    expectFailure(verify(join({ ...parts, kb: '' })), 'key_binding_missing')
  })

  it('nothing in the disclosures of a credential as issued (no KB-JWT: only key binding fails)', async () => {
    const issued = decoded(credential)
    expect(disclosedClaims(issued).ok).toBe(true)
    expect(decodeKeyBinding(issued)).toMatchObject({ ok: false, error: { code: 'key_binding_missing' } })
  })

  it('nothing about nonce, audience or age: the KB-JWT claims are returned for the verifier to compare', async () => {
    const old = await presentSdJwtVc({
      credential,
      disclose: [],
      keyBinding: {
        alg: 'ES256',
        signer: holder.signer,
        nonce: 'other',
        audience: 'did:web:x',
        issuedAt: new Date(0),
      },
    })
    const result = verify(old)
    expect(result.ok && result.value.keyBinding.claims).toEqual({ nonce: 'other', aud: 'did:web:x', iat: 0 })
  })

  it('a credential without a usable cnf.jwk', async () => {
    const raw = await issueRawSdJwt({
      payload: { iss: examples[type].issuer, cnf: { jwk: { ...holder.jwk, x: 'AAAA' } } },
      disclosureFrame: {},
      alg: 'ES256K',
      signer: issuerKey.signer,
    })
    expectFailure(verify(await withFreshKeyBinding(split(raw), holder.signer, kbOptions)), 'malformed')
  })

  it('a key-binding JWT signed by a key other than cnf.jwk', async () => {
    const other = keyPair('ES256')
    const tampered = await withFreshKeyBinding(split(presentation), other.signer, kbOptions)
    expectFailure(verify(tampered), 'key_binding_invalid')
  })

  it('a key-binding JWT whose alg does not fit the cnf.jwk curve', async () => {
    const other = keyPair('ES256K')
    const tampered = await withFreshKeyBinding(split(presentation), other.signer, {
      ...kbOptions,
      alg: 'ES256K',
    })
    expectFailure(verify(tampered), 'key_binding_invalid')
  })

  it('a key-binding JWT over other disclosures (sd_hash)', async () => {
    const parts = split(presentation)
    const tampered = join({ ...parts, disclosures: parts.disclosures.slice(1) })
    expectFailure(verify(tampered), 'key_binding_invalid')
  })

  it('a key-binding JWT with an extra header parameter, another typ, or without a claim', async () => {
    const parts = split(presentation)
    const sdJwt = `${[parts.jwt, ...parts.disclosures].join('~')}~`
    const kbWith = (options: { header?: Record<string, unknown>; payload?: Record<string, unknown> }) =>
      keyBindingFor(sdJwt, holder.signer, { ...kbOptions, ...options })
    expectFailure(verify(sdJwt + (await kbWith({ header: { kid: 'x' } }))), 'unexpected_header')
    expectFailure(verify(sdJwt + (await kbWith({ header: { typ: 'JWT' } }))), 'key_binding_invalid')
    expectFailure(verify(sdJwt + (await kbWith({ payload: { nonce: 7 } }))), 'key_binding_invalid')
    expectFailure(verify(sdJwt + (await kbWith({ payload: { iat: 1.5 } }))), 'key_binding_invalid')
  })

  it('a key-binding JWT that is not a JWS', async () => {
    const { kb: _kb, ...parts } = split(presentation)
    expectFailure(verify(join({ ...parts, kb: 'a.b' })), 'malformed')
  })

  it('alg none in the issuer header (with or without a signature)', async () => {
    const parts = split(presentation)
    const [h, p, s] = parts.jwt.split('.')
    for (const signature of [s!, '']) {
      const jwt = await signJwt({ ...decodeSegment(h!), alg: 'none' }, decodeSegment(p!), { signature })
      const tampered = await withFreshKeyBinding({ ...parts, jwt }, holder.signer, kbOptions)
      const result = verify(tampered)
      expect(result.ok).toBe(false)
      if (signature) expectFailure(result, 'unsupported_algorithm')
    }
  })

  it('alg none in the key-binding header', async () => {
    const parts = split(presentation)
    const sdJwt = `${[parts.jwt, ...parts.disclosures].join('~')}~`
    const kb = await keyBindingFor(sdJwt, holder.signer, { ...kbOptions, header: { alg: 'none' } })
    expectFailure(verify(sdJwt + kb), 'unsupported_algorithm')
    const unsigned = `${kb.slice(0, kb.lastIndexOf('.'))}.`
    expect(verify(sdJwt + unsigned).ok).toBe(false)
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
    expectFailure(verify(tampered), 'unsupported_algorithm')
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
      expectFailure(verify(tampered), 'unexpected_header')
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
      expectFailure(verify(tampered), code)
    }
    const relative = await signJwt(
      { ...decodeSegment(h!), kid: '#controller' },
      decodeSegment(p!),
      issuerKey.signer,
    )
    const ok = await withFreshKeyBinding({ ...parts, jwt: relative }, holder.signer, kbOptions)
    expect(verify(ok).ok).toBe(true)
  })

  it('no key of the issuer, or only a key of another alg', async () => {
    expectFailure(verify(presentation, []), 'no_matching_key')
    expectFailure(verify(presentation, [keyPair('ES256')]), 'no_matching_key')
  })

  it('a signature by another key of the issuer (rotated away)', async () => {
    const other = keyPair('ES256K')
    expectFailure(verify(presentation, [other]), 'invalid_signature')
    expect(verify(presentation, [other, issuerKey]).ok).toBe(true)
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
    expectFailure(verify(tampered), 'disclosure_invalid')
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
    expectFailure(verify(presented), 'disclosure_invalid')
  })

  it('a disclosable part of a claim that must stay visible (cnf, status), even when the issuer signed it', async () => {
    const { issuer: iss } = examples[type]
    const status = { status_list: { idx: 3, uri: 'https://i.example/lists/1' } }
    const frames = [
      { payload: { iss, cnf: { jwk: holder.jwk }, status }, frame: { status: { _sd: ['status_list'] } } },
      { payload: { iss, cnf: { jwk: holder.jwk } }, frame: { cnf: { jwk: { _sd: ['y'] } } } },
      {
        payload: { iss, cnf: { jwk: holder.jwk }, aka_vcts: ['urn:a', 'urn:b'] },
        frame: { aka_vcts: { _sd: [1] } },
      },
    ]
    for (const { payload, frame } of frames) {
      const raw = await issueRawSdJwt({
        payload,
        disclosureFrame: frame,
        alg: 'ES256K',
        signer: issuerKey.signer,
        refuseDisclosable: [],
      })
      const withheld = await withFreshKeyBinding({ ...split(raw), disclosures: [] }, holder.signer, kbOptions)
      for (const presented of [await withFreshKeyBinding(split(raw), holder.signer, kbOptions), withheld]) {
        const result = verify(presented)
        expectFailure(result, 'disclosure_invalid')
        expect(result.ok ? '' : result.error.reason).toMatch(/^No part of "(status|cnf|aka_vcts)" may be/)
      }
    }
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
    expectFailure(verify(big), 'malformed')
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
      const result = verify(input as string)
      expect(result.ok, String(input).slice(0, 40)).toBe(false)
    }
  })
})
