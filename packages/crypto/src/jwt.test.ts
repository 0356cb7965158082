import { describe, expect, it } from 'vitest'
import { base64urlJson } from './base64url'
import { decodeJwt } from './jwt'
import { MAX_JWT_LENGTH } from './limits'

const payload = { iss: 'did:ethr:0x539:0x01' }
const signature = 'A'.repeat(86) // 64 zero bytes
const jwtWith = (header: unknown, body: unknown = payload, sig = signature) =>
  `${base64urlJson(header)}.${base64urlJson(body)}.${sig}`
const codeOf = (jwt: unknown, headerParameters?: string[]) => {
  const result = decodeJwt({
    jwt,
    maxLength: MAX_JWT_LENGTH,
    ...(headerParameters ? { headerParameters } : {}),
  })
  return result.ok ? 'ok' : result.error.code
}

describe('decodeJwt', () => {
  it('splits a JWS into header, payload, signing input and signature', () => {
    const jwt = jwtWith({ alg: 'ES256', typ: 'JWT', kid: 'k' })
    expect(decodeJwt({ jwt, maxLength: MAX_JWT_LENGTH })).toEqual({
      ok: true,
      value: {
        header: { alg: 'ES256', typ: 'JWT', kid: 'k' },
        payload,
        signingInput: jwt.slice(0, jwt.lastIndexOf('.')),
        signature,
      },
    })
  })

  it.each([['none'], ['HS256'], ['RS256'], ['EdDSA'], ['ES256K-R'], ['es256k'], [undefined], [42]])(
    'refuses alg %s as unsupported_algorithm',
    (alg) => expect(codeOf(jwtWith({ alg }))).toBe('unsupported_algorithm'),
  )

  it('refuses header parameters not accepted, naming them', () => {
    const result = decodeJwt({ jwt: jwtWith({ alg: 'ES256K', jku: 'x' }), maxLength: MAX_JWT_LENGTH })
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_header' } })
    expect(!result.ok && result.error.reason).toContain('jku')
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'kb+jwt', kid: 'k' }), ['alg', 'typ'])).toBe(
      'unexpected_header',
    )
  })

  it.each([
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['non-base64 segments', '!!.??.**'],
    ['a JSON string header', `${base64urlJson('x')}.${base64urlJson(payload)}.${signature}`],
    ['a JSON array payload', jwtWith({ alg: 'ES256K' }, [payload])],
    ['a padded signature', jwtWith({ alg: 'ES256K' }, payload, `${signature}==`)],
    ['a short signature', jwtWith({ alg: 'ES256K' }, payload, 'AAAA')],
    ['no signature', jwtWith({ alg: 'ES256K' }, payload, '')],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s as malformed', (_, jwt) => expect(codeOf(jwt)).toBe('malformed'))

  it('refuses oversize input before decoding it', () => {
    const result = decodeJwt({ jwt: 'a'.repeat(101), maxLength: 100, name: 'status list' })
    expect(result).toEqual({
      ok: false,
      error: { code: 'too_large', reason: 'The status list is 101 characters long; the limit is 100.' },
    })
  })
})
