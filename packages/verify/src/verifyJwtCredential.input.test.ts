import { MAX_JWT_LENGTH, parseBase64urlJson } from '@clavis/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { signRawJwt } from '../test/kits/identities'
import {
  createScenario,
  DAY,
  licence as licenceOf,
  NOW as now,
  type Scenario,
  signVc,
} from '../test/kits/scenario'
import { verifyJwtCredential } from './verifyJwtCredential'

let scenario: Scenario

beforeAll(async () => {
  scenario = await createScenario()
})

const sign = (credential: object) => signVc(credential, scenario.board)

const licence = (validFrom?: Date, validUntil?: Date) => licenceOf(scenario, { validFrom, validUntil })

const verify = (jwt: string, overrides: Partial<Parameters<typeof verifyJwtCredential>[0]> = {}) =>
  verifyJwtCredential({
    jwt,
    resolver: scenario.resolver,
    trust: scenario.trust,
    status: scenario.status,
    now,
    ...overrides,
  })

describe('verifyJwtCredential: algorithms, headers, malformed input and options', () => {
  it.each([
    ['none', 'unsupported_algorithm', { alg: 'none', typ: 'JWT' }],
    ['HS256', 'unsupported_algorithm', { alg: 'HS256', typ: 'JWT' }],
    ['RS256', 'unsupported_algorithm', { alg: 'RS256' }],
    ['EdDSA', 'unsupported_algorithm', { alg: 'EdDSA' }],
    ['a jku header', 'unexpected_header', { alg: 'ES256K', jku: 'https://evil.example/keys' }],
    ['a jwk header', 'unexpected_header', { alg: 'ES256K', jwk: { kty: 'EC' } }],
    ['a crit header', 'unexpected_header', { alg: 'ES256K', crit: ['b64'], b64: false }],
  ])('refuses %s with %s and checks nothing else', async (_, code, header) => {
    const payload = parseBase64urlJson((await sign(licence())).split('.')[1]!)
    const jwt = await signRawJwt(header, payload, scenario.board.signer)
    const result = await verify(header.alg === 'none' ? `${jwt.split('.').slice(0, 2).join('.')}.` : jwt)
    expect(result.valid).toBe(false)
    expect(result.checks.signature).toMatchObject({ passed: false, code })
    expect(result.checks.schema).toMatchObject({ passed: false, code: 'not_checked' })
    expect(result.issuer).toBeUndefined()
  })

  it.each([
    ['oversize input', 'e'.repeat(MAX_JWT_LENGTH + 1)],
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['non-base64 parts', 'not base64!.%%%.***'],
    ['three dots of nothing', '..'],
    ['JSON instead of a JWT', '{"alg":"ES256K"}'],
  ])('refuses %s as malformed and checks nothing else', async (_, jwt) => {
    const result = await verify(jwt)
    expect(result).toMatchObject({
      valid: false,
      format: 'jwt_vc',
      checks: { signature: { code: 'malformed' } },
    })
    for (const name of ['signerIsIssuer', 'issuerTrust', 'validityPeriod', 'status', 'schema'] as const) {
      expect(result.checks[name]).toMatchObject({ passed: false, code: 'not_checked' })
    }
  })

  it('does not throw for a non-string jwt', async () => {
    const result = await verify(undefined as unknown as string)
    expect(result.checks.signature).toMatchObject({ code: 'malformed' })
  })

  it('allows clock skew up to 60 seconds and throws RangeError above or below', async () => {
    const jwt = await sign(licence(new Date(now.getTime() + 45_000), new Date(now.getTime() + DAY)))
    expect((await verify(jwt)).checks.validityPeriod).toMatchObject({ code: 'not_yet_valid' })
    expect((await verify(jwt, { clockSkewSeconds: 60 })).valid).toBe(true)
    await expect(verify(jwt, { clockSkewSeconds: 61 })).rejects.toThrow(RangeError)
    await expect(verify(jwt, { clockSkewSeconds: -1 })).rejects.toThrow(RangeError)
    await expect(verify(jwt, { clockSkewSeconds: Number.NaN })).rejects.toThrow(RangeError)
    await expect(verify(jwt, { now: new Date('nope') })).rejects.toThrow(RangeError)
  })
})
