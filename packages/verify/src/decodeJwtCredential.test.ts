import { base64urlJson as encodeSegment, MAX_JWT_LENGTH } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { decodeJwtCredential } from './decodeJwtCredential'

const iss = 'did:ethr:0x539:0x0000000000000000000000000000000000000001'
const payload = { iss, sub: 'did:ethr:0x539:0x02', vc: { type: ['VerifiableCredential'] } }
const signature = 'A'.repeat(86) // 64 zero bytes
const jwtWith = (header: unknown, body: unknown = payload, sig = signature) =>
  `${encodeSegment(header)}.${encodeSegment(body)}.${sig}`

const codeOf = (jwt: unknown) => {
  const result = decodeJwtCredential({ jwt })
  return result.ok ? 'ok' : result.error.code
}

describe('decodeJwtCredential', () => {
  it('accepts alg ES256K and ES256 with typ and kid', () => {
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'JWT' }))).toBe('ok')
    expect(codeOf(jwtWith({ alg: 'ES256', typ: 'vc+jwt', kid: `${iss}#controller` }))).toBe('ok')
  })

  it.each([['none'], ['HS256'], ['RS256'], ['EdDSA'], ['ES256K-R'], ['es256k'], [undefined], [42]])(
    'refuses alg %s as unsupported_algorithm',
    (alg) => {
      expect(codeOf(jwtWith({ alg, typ: 'JWT' }))).toBe('unsupported_algorithm')
    },
  )

  it.each([['jku'], ['x5u'], ['jwk'], ['crit'], ['b64'], ['cty'], ['x5c']])(
    'refuses header parameter %s as unexpected_header',
    (name) => {
      const result = decodeJwtCredential({ jwt: jwtWith({ alg: 'ES256K', [name]: 'x' }) })
      expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_header' } })
      expect(!result.ok && result.error.reason).toContain(name)
    },
  )

  it('refuses a typ other than JWT or vc+jwt, and a non-string kid', () => {
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'dc+sd-jwt' }))).toBe('unexpected_header')
    expect(codeOf(jwtWith({ alg: 'ES256K', kid: 7 }))).toBe('unexpected_header')
  })

  it.each([
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['non-base64 segments', '!!.??.**'],
    ['a JSON string header', `${encodeSegment('x')}.${encodeSegment(payload)}.${signature}`],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s as malformed', (_, jwt) => {
    expect(codeOf(jwt)).toBe('malformed')
  })

  it('refuses oversize input before decoding it', () => {
    const result = decodeJwtCredential({ jwt: 'a'.repeat(MAX_JWT_LENGTH + 1) })
    expect(result).toMatchObject({ ok: false, error: { code: 'malformed' } })
    expect(!result.ok && result.error.reason).toContain(String(MAX_JWT_LENGTH))
  })

  it('refuses padded or wrong-length signatures', () => {
    expect(codeOf(jwtWith({ alg: 'ES256K' }, payload, `${signature}==`))).toBe('malformed')
    expect(codeOf(jwtWith({ alg: 'ES256K' }, payload, 'AAAA'))).toBe('malformed')
    expect(codeOf(jwtWith({ alg: 'ES256K' }, payload, ''))).toBe('malformed')
  })

  it.each([
    ['no iss', { vc: {} }],
    ['a non-DID iss', { iss: 'https://board.example', vc: {} }],
    ['an iss with a fragment', { iss: `${iss}#controller`, vc: {} }],
    ['an iss naming a version', { iss: `${iss}?versionId=3`, vc: {} }],
    ['no vc', { iss }],
    ['a vc array', { iss, vc: [] }],
    ['a string exp', { iss, vc: {}, exp: '2030-01-01' }],
    ['a non-string sub', { iss, vc: {}, sub: 5 }],
  ])('refuses a payload with %s as malformed', (_, body) => {
    expect(codeOf(jwtWith({ alg: 'ES256K' }, body))).toBe('malformed')
  })
})
