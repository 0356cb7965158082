import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { fakeJwt } from '../test/kits/jwt'
import { Bitstring } from './bitstring'
import { decodeStatusListJwt } from './decodeStatusListJwt'
import { encodeBitstring } from './encodeBitstring'
import { encodeTokenStatusList } from './encodeTokenStatusList'
import { MIN_LIST_ENTRIES } from './limits'
import { TokenStatusList } from './tokenStatusList'

const issuer = 'did:ethr:0xabc'
const uri = 'https://agent.example/status/1'
const header = { alg: 'ES256K', typ: 'statuslist+jwt', kid: `${issuer}#controller` }
const status_list = encodeTokenStatusList(TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 1 }))
const payload = { iss: issuer, sub: uri, iat: 1767225600, exp: 1767312000, ttl: 300, status_list }
const encodedList = encodeBitstring(Bitstring.create(MIN_LIST_ENTRIES))
const credentialSubject = {
  id: `${uri}#list`,
  type: 'BitstringStatusList',
  statusPurpose: 'revocation',
  encodedList,
  ttl: 1000,
}
/** A bitstring list as a VC 1.1 JWT: the credential in `vc`. */
const vcPayload = {
  iss: issuer,
  jti: uri,
  nbf: 1767225600,
  iat: 1767225600,
  vc: {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1'],
    id: uri,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer,
    issuanceDate: '2026-01-01T00:00:00Z',
    credentialSubject,
  },
}
const vcHeader = { ...header, typ: 'JWT' }
/** A bitstring list as a VC-JOSE-COSE vc+jwt: the claims set is the VC 2.0 credential. */
const v2Payload = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: uri,
  type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  issuer,
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject,
}
const v2Header = { ...header, typ: 'vc+jwt' }

describe('decodeStatusListJwt', () => {
  it('accepts well-formed token and bitstring lists', () => {
    expect(decodeStatusListJwt(fakeJwt(header, payload)).kind).toBe('token')
    const { exp: _, ttl: __, ...minimal } = payload
    expect(decodeStatusListJwt(fakeJwt(header, minimal))).toMatchObject({
      expiresAt: undefined,
      ttlSeconds: undefined,
    })
    expect(decodeStatusListJwt(fakeJwt(vcHeader, vcPayload))).toMatchObject({
      kind: 'bitstring',
      purpose: 'revocation',
      ttlSeconds: 1,
    })
    const issuerObject = { ...vcPayload, vc: { ...vcPayload.vc, issuer: { id: issuer } } }
    expect(decodeStatusListJwt(fakeJwt(vcHeader, issuerObject)).issuer).toBe(issuer)
    const { id: _id, issuer: _issuer, issuanceDate: _issuanceDate, ...bare } = vcPayload.vc
    expect(decodeStatusListJwt(fakeJwt(vcHeader, { ...vcPayload, vc: bare }))).toMatchObject({ issuer, uri })
    expect(decodeStatusListJwt(fakeJwt(v2Header, v2Payload))).toMatchObject({
      kind: 'bitstring',
      format: 'vc+jwt',
      mediaType: 'application/vc+jwt',
      issuer,
      uri,
      issuedAt: new Date('2026-01-01T00:00:00Z'),
      ttlSeconds: 1,
    })
    expect(decodeStatusListJwt(fakeJwt({ ...v2Header, cty: 'vc' }, v2Payload)).format).toBe('vc+jwt')
  })

  it('refuses oversized and malformed JWTs', () => {
    expect(errorCode(() => decodeStatusListJwt(`${'a'.repeat(2 * 1024 * 1024)}.b.c`))).toBe('too_large')
    for (const bad of [
      '',
      'a.b',
      'a.b.c.d',
      fakeJwt(header, payload).replace(/^[^.]+/, 'bm90IGpzb24'),
      fakeJwt(header, 'a string'),
      fakeJwt(header, [payload]),
      `${fakeJwt(header, payload).split('.').slice(0, 2).join('.')}.AAAA`,
      `${fakeJwt(header, payload)}+`,
      42 as unknown as string,
    ]) {
      expect(errorCode(() => decodeStatusListJwt(bad))).toBe('malformed')
    }
  })

  it('refuses algorithms other than ES256K and ES256', () => {
    for (const alg of ['none', 'HS256', 'HS512', 'RS256', 'ES384', 'EdDSA', 'es256k', undefined]) {
      expect(errorCode(() => decodeStatusListJwt(fakeJwt({ ...header, alg }, payload)))).toBe(
        'unsupported_algorithm',
      )
    }
  })

  it('refuses unexpected header parameters and types', () => {
    for (const h of [
      { ...header, jwk: { kty: 'EC' } },
      { ...header, crit: ['b64'], b64: false },
      { ...header, x5u: 'https://evil.example' },
      { ...header, typ: 'vc+ld+jwt' },
      { ...header, typ: 'vp+jwt' },
      { ...header, typ: undefined },
      { ...header, cty: 'vc' },
      { ...vcHeader, cty: 'vc' },
      { ...v2Header, cty: 'vp' },
      { ...v2Header, cty: 'json' },
      { ...header, kid: undefined },
      { ...header, kid: '' },
      { ...header, kid: 7 },
    ]) {
      expect(errorCode(() => decodeStatusListJwt(fakeJwt(h, payload)))).toBe('unexpected_header')
    }
  })

  it('refuses missing or wrong token-list claims', () => {
    const bad: Record<string, unknown>[] = [
      { iss: undefined },
      { iss: '' },
      { sub: undefined },
      { sub: 'urn:x' },
      { iat: undefined },
      { iat: '1767225600' },
      { iat: 1.5 },
      { exp: 1767225600 },
      { ttl: 0 },
      { ttl: '300' },
      { status_list: undefined },
      { status_list: 'eNo' },
    ]
    for (const patch of bad) {
      expect(errorCode(() => decodeStatusListJwt(fakeJwt(header, { ...payload, ...patch })))).toBe(
        'invalid_claims',
      )
    }
    expect(
      errorCode(() =>
        decodeStatusListJwt(fakeJwt(header, { ...payload, status_list: { bits: 3, lst: 'x' } })),
      ),
    ).toBe('invalid_bits')
    const small = encodeTokenStatusList(TokenStatusList.create({ size: 16, bits: 1, allowSmall: true }))
    expect(errorCode(() => decodeStatusListJwt(fakeJwt(header, { ...payload, status_list: small })))).toBe(
      'list_too_small',
    )
    expect(
      decodeStatusListJwt(fakeJwt(header, { ...payload, status_list: small }), { allowSmall: true }).size,
    ).toBe(16)
  })

  it('refuses missing or inconsistent bitstring credential claims', () => {
    const vc = vcPayload.vc
    const subject = vc.credentialSubject
    const bad: Record<string, unknown>[] = [
      { jti: undefined },
      { jti: 'https://agent.example/status/2' },
      { nbf: undefined },
      { exp: 1767225600 },
      { exp: 'tomorrow' },
      { vc: undefined },
      { vc: { ...vc, '@context': ['https://www.w3.org/2018/credentials/v1'] } },
      { vc: { ...vc, '@context': ['https://www.w3.org/ns/credentials/v2'] } },
      { vc: { ...vc, '@context': [...vc['@context'], 'https://www.w3.org/ns/credentials/v2'] } },
      { '@context': ['https://www.w3.org/ns/credentials/v2'] },
      { vc: { ...vc, type: ['VerifiableCredential'] } },
      { vc: { ...vc, type: ['VerifiableCredential', 'BitstringStatusListCredential', 'Other'] } },
      { vc: { ...vc, id: 'https://agent.example/status/2' } },
      { vc: { ...vc, issuer: 'did:ethr:0xdef' } },
      { vc: { ...vc, issuanceDate: '2026-01-01T00:00:01Z' } },
      { vc: { ...vc, issuanceDate: 'yesterday' } },
      { vc: { ...vc, expirationDate: '2026-01-02T00:00:00Z' } },
      { vc: { ...vc, validFrom: '2026-01-01T00:00:00Z' } },
      { vc: { ...vc, validUntil: '2026-01-02T00:00:00Z' } },
      { vc: { ...vc, credentialSubject: [subject] } },
      { vc: { ...vc, credentialSubject: { ...subject, type: 'StatusList2021' } } },
      { vc: { ...vc, credentialSubject: { ...subject, statusPurpose: 'message' } } },
      { vc: { ...vc, credentialSubject: { ...subject, statusSize: 2 } } },
      { vc: { ...vc, credentialSubject: { ...subject, ttl: -1 } } },
      { vc: { ...vc, credentialSubject: { ...subject, encodedList: undefined } } },
    ]
    for (const patch of bad) {
      expect(errorCode(() => decodeStatusListJwt(fakeJwt(vcHeader, { ...vcPayload, ...patch })))).toBe(
        'invalid_claims',
      )
    }
    const withExp = { ...vcPayload, exp: 1767312000, vc: { ...vc, expirationDate: '2026-01-02T00:00:00Z' } }
    expect(decodeStatusListJwt(fakeJwt(vcHeader, withExp)).expiresAt).toEqual(
      new Date('2026-01-02T00:00:00Z'),
    )
    const badList = {
      ...vcPayload,
      vc: { ...vc, credentialSubject: { ...subject, encodedList: `z${encodedList.slice(1)}` } },
    }
    expect(errorCode(() => decodeStatusListJwt(fakeJwt(vcHeader, badList)))).toBe('unsupported_multibase')
  })

  it('refuses the VC 2.0 content in a VC 1.1 JWT that Clavis used to sign (neither format)', () => {
    const hybrid = {
      ...vcPayload,
      vc: { ...v2Payload, validFrom: '2026-01-01T00:00:00Z' },
    }
    expect(errorCode(() => decodeStatusListJwt(fakeJwt(vcHeader, hybrid)))).toBe('invalid_claims')
  })

  it('refuses missing, mixed or inconsistent vc+jwt claims', () => {
    const bad: Record<string, unknown>[] = [
      { vc: vcPayload.vc },
      { vp: {} },
      { '@context': undefined },
      {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1'],
      },
      { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/2018/credentials/v1'] },
      { issuanceDate: '2026-01-01T00:00:00Z' },
      { expirationDate: '2026-01-02T00:00:00Z' },
      { id: undefined },
      { id: 'urn:uuid:1' },
      { jti: 'https://agent.example/status/2' },
      { issuer: undefined },
      { issuer: { name: 'board' } },
      { iss: 'did:ethr:0xdef' },
      { validFrom: 'yesterday' },
      { validUntil: '2025-12-31T00:00:00Z' },
      { iat: '1767225600' },
      { type: ['VerifiableCredential'] },
      { credentialSubject: { ...credentialSubject, statusPurpose: 'refresh' } },
    ]
    for (const patch of bad) {
      expect(errorCode(() => decodeStatusListJwt(fakeJwt(v2Header, { ...v2Payload, ...patch })))).toBe(
        'invalid_claims',
      )
    }
    const tight = decodeStatusListJwt(
      fakeJwt(v2Header, {
        ...v2Payload,
        iss: issuer,
        jti: uri,
        iat: 1767225660,
        nbf: 1767225630,
        exp: 1767229200,
        validUntil: '2026-01-02T00:00:00Z',
      }),
    )
    expect([tight.issuedAt, tight.notBefore, tight.expiresAt]).toEqual([
      new Date('2026-01-01T00:01:00Z'),
      new Date('2026-01-01T00:00:30Z'),
      new Date('2026-01-01T01:00:00Z'),
    ])
  })

  it('reads only indexes in range', () => {
    const decoded = decodeStatusListJwt(fakeJwt(header, payload))
    expect(decoded.read(131071)).toBe(0)
    expect(errorCode(() => decoded.read(131072))).toBe('index_out_of_range')
    expect(errorCode(() => decoded.read(-1))).toBe('index_out_of_range')
  })
})
