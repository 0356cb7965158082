import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { checkStatusListJwt } from './checkStatusListJwt'
import type { DecodedStatusListJwt } from './decodeStatusListJwt'

const issuer = 'did:ethr:0xabc'
const uri = 'https://agent.example/status/1'
const t0 = Date.parse('2026-01-01T00:00:00Z')

function decoded(patch: Partial<DecodedStatusListJwt> = {}): DecodedStatusListJwt {
  return {
    kind: 'token',
    mediaType: 'application/statuslist+jwt',
    header: { alg: 'ES256K', typ: 'statuslist+jwt', kid: 'k' },
    payload: {},
    signingInput: 'a.b',
    signature: 'c',
    issuer,
    uri,
    issuedAt: new Date(t0),
    expiresAt: new Date(t0 + 3_600_000),
    ttlSeconds: 300,
    size: 8,
    bits: 1,
    read: () => 0,
    ...patch,
  }
}

const at = (ms: number) => new Date(t0 + ms)
const check = (d: DecodedStatusListJwt, now: Date, extra: Record<string, number> = {}) =>
  checkStatusListJwt({ decoded: d, expectedIssuer: issuer, expectedUri: uri, now, ...extra })

describe('checkStatusListJwt', () => {
  it('accepts a fresh list and says when it goes stale: min(exp, iat + ttl)', () => {
    expect(check(decoded(), at(1000))).toEqual({ ok: true, value: { staleAt: at(300_000) } })
    expect(check(decoded({ expiresAt: at(100_000) }), at(1000))).toEqual({
      ok: true,
      value: { staleAt: at(100_000) },
    })
    expect(check(decoded({ ttlSeconds: undefined, expiresAt: undefined }), at(1000))).toEqual({
      ok: true,
      value: { staleAt: at(86_400_000) },
    })
    expect(check(decoded(), at(1000), { maxAgeSeconds: 60 })).toEqual({
      ok: true,
      value: { staleAt: at(60_000) },
    })
  })

  it('refuses another issuer or another URL, exactly', () => {
    expect(check(decoded({ issuer: 'did:ethr:0xABC' }), at(0))).toMatchObject({
      ok: false,
      error: { code: 'wrong_issuer' },
    })
    expect(check(decoded({ uri: `${uri}/` }), at(0))).toMatchObject({
      ok: false,
      error: { code: 'wrong_uri' },
    })
    expect(check(decoded({ uri: 'https://agent.example/status/10' }), at(0))).toMatchObject({
      ok: false,
      error: { code: 'wrong_uri' },
    })
  })

  it('refuses expired, not-yet-valid and stale lists, with at most 60 s of skew', () => {
    const d = decoded({ ttlSeconds: 7200 })
    expect(check(d, at(3_600_000 + 59_000))).toMatchObject({ ok: true })
    expect(check(d, at(3_600_000 + 60_000))).toMatchObject({ ok: false, error: { code: 'expired' } })
    expect(check(d, at(3_600_000), { clockSkewSeconds: 0 })).toMatchObject({
      ok: false,
      error: { code: 'expired' },
    })
    expect(check(d, at(-61_000))).toMatchObject({ ok: false, error: { code: 'not_yet_valid' } })
    expect(check(decoded({ notBefore: at(120_000) }), at(0))).toMatchObject({
      ok: false,
      error: { code: 'not_yet_valid' },
    })
    expect(check(decoded(), at(360_000))).toMatchObject({ ok: false, error: { code: 'stale' } })
    expect(check(decoded({ issuedAt: undefined }), at(0))).toMatchObject({
      ok: false,
      error: { code: 'stale' },
    })
    const result = check(decoded(), at(360_000))
    expect(!result.ok && result.error.reason).toMatch(/ttl/)
  })

  it('refuses bad options', () => {
    expect(errorCode(() => check(decoded(), at(0), { clockSkewSeconds: 61 }))).toBe('invalid_options')
    expect(errorCode(() => check(decoded(), at(0), { clockSkewSeconds: -1 }))).toBe('invalid_options')
    expect(errorCode(() => check(decoded(), at(0), { maxAgeSeconds: 0 }))).toBe('invalid_options')
    expect(errorCode(() => check(decoded(), new Date(Number.NaN)))).toBe('invalid_options')
  })
})
