import {
  createSigner,
  generatePrivateKey,
  type JwsAlgorithm,
  publicKeyOf,
  verifySignature,
} from '@clavis/crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { rejectionCode } from '../test/kits/errors'
import { Bitstring } from './bitstring'
import { checkStatusListJwt } from './checkStatusListJwt'
import { decodeStatusListJwt } from './decodeStatusListJwt'
import { MIN_LIST_ENTRIES } from './limits'
import { signBitstringStatusListCredential } from './signBitstringStatusListCredential'
import { signTokenStatusListJwt } from './signTokenStatusListJwt'
import { TOKEN_STATUS, TokenStatusList } from './tokenStatusList'

const issuer = 'did:ethr:0x1234567890abcdef1234567890abcdef12345678'
const kid = `${issuer}#controller`
const uri = 'https://agent.example/status/1'
const iat = new Date('2026-01-01T00:00:00Z')

afterEach(() => {
  vi.useRealTimers()
})

describe.each(['ES256K', 'ES256'] as const)('%s', (alg: JwsAlgorithm) => {
  const privateKey = generatePrivateKey(alg)
  const publicKey = publicKeyOf(alg, privateKey)
  const signer = createSigner({ alg, privateKey })

  it('signs, decodes, verifies and checks a token status list', async () => {
    const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 2 })
    list.set(42, TOKEN_STATUS.SUSPENDED)
    list.set(131071, TOKEN_STATUS.INVALID)
    const jwt = await signTokenStatusListJwt({
      issuer,
      kid,
      alg,
      signer,
      uri,
      list,
      iat,
      ttlSeconds: 300,
      expiresInSeconds: 86400,
    })
    const decoded = decodeStatusListJwt(jwt)
    expect(decoded.kind).toBe('token')
    expect(decoded.header).toEqual({ alg, typ: 'statuslist+jwt', kid })
    expect(decoded.payload).toMatchObject({
      iss: issuer,
      sub: uri,
      iat: 1767225600,
      exp: 1767312000,
      ttl: 300,
    })
    expect(Object.keys(decoded.payload).sort()).toEqual(['exp', 'iat', 'iss', 'status_list', 'sub', 'ttl'])
    expect(
      verifySignature({ alg, publicKey, data: decoded.signingInput, signature: decoded.signature }),
    ).toBe(true)
    expect([decoded.read(0), decoded.read(42), decoded.read(131071), decoded.size, decoded.bits]).toEqual([
      0, 2, 1, 131072, 2,
    ])
    const now = new Date(iat.getTime() + 60_000)
    expect(checkStatusListJwt({ decoded, expectedIssuer: issuer, expectedUri: uri, now })).toEqual({
      ok: true,
      value: { staleAt: new Date(iat.getTime() + 300_000) },
    })
  })

  const signBitstring = (format: 'jwt_vc' | 'vc+jwt') => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(iat.getTime() + 5000))
    const list = Bitstring.create(MIN_LIST_ENTRIES)
    list.set(94567, true)
    return signBitstringStatusListCredential({
      issuer,
      kid,
      alg,
      signer,
      format,
      url: uri,
      purpose: 'suspension',
      list,
      validFrom: iat,
      validUntil: new Date('2026-01-02T00:00:00Z'),
      ttlMs: 600_000,
    })
  }
  const subject = {
    id: `${uri}#list`,
    type: 'BitstringStatusList',
    statusPurpose: 'suspension',
    encodedList: expect.stringMatching(/^u[A-Za-z0-9_-]+$/),
    ttl: 600_000,
  }
  const type = ['VerifiableCredential', 'BitstringStatusListCredential']

  it('signs a bitstring list credential as a VC 1.1 JWT: the credential in vc, 1.1 and status contexts', async () => {
    const decoded = decodeStatusListJwt(await signBitstring('jwt_vc'))
    expect([decoded.kind, decoded.format, decoded.mediaType]).toEqual([
      'bitstring',
      'jwt_vc',
      'application/jwt',
    ])
    expect(decoded.header).toEqual({ alg, typ: 'JWT', kid })
    expect(decoded.payload).toEqual({
      iss: issuer,
      jti: uri,
      nbf: 1767225600,
      exp: 1767312000,
      iat: 1767225605,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1'],
        id: uri,
        type,
        issuer,
        issuanceDate: '2026-01-01T00:00:00Z',
        expirationDate: '2026-01-02T00:00:00Z',
        credentialSubject: subject,
      },
    })
    expect(
      verifySignature({ alg, publicKey, data: decoded.signingInput, signature: decoded.signature }),
    ).toBe(true)
    expect([decoded.read(94566), decoded.read(94567), decoded.purpose, decoded.ttlSeconds]).toEqual([
      0,
      1,
      'suspension',
      600,
    ])
    const now = new Date(iat.getTime() + 60_000)
    expect(checkStatusListJwt({ decoded, expectedIssuer: issuer, expectedUri: uri, now })).toEqual({
      ok: true,
      value: { staleAt: new Date(iat.getTime() + 605_000) },
    })
  })

  it('signs a bitstring list credential as a VC-JOSE-COSE vc+jwt: the claims set is the VC 2.0 credential', async () => {
    const decoded = decodeStatusListJwt(await signBitstring('vc+jwt'))
    expect([decoded.kind, decoded.format, decoded.mediaType]).toEqual([
      'bitstring',
      'vc+jwt',
      'application/vc+jwt',
    ])
    expect(decoded.header).toEqual({ alg, typ: 'vc+jwt', kid })
    expect(decoded.payload).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: uri,
      type,
      issuer,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2026-01-02T00:00:00Z',
      credentialSubject: subject,
      iat: 1767225605,
    })
    expect(
      verifySignature({ alg, publicKey, data: decoded.signingInput, signature: decoded.signature }),
    ).toBe(true)
    expect(decoded).toMatchObject({ issuer, uri, purpose: 'suspension', ttlSeconds: 600, notBefore: iat })
    expect([decoded.read(94566), decoded.read(94567)]).toEqual([0, 1])
    const now = new Date(iat.getTime() + 60_000)
    expect(checkStatusListJwt({ decoded, expectedIssuer: issuer, expectedUri: uri, now })).toEqual({
      ok: true,
      value: { staleAt: new Date(iat.getTime() + 605_000) },
    })
  })
})

describe('signing options', () => {
  const alg = 'ES256K'
  const signer = createSigner({ alg, privateKey: generatePrivateKey(alg) })
  const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 1 })
  const base = { issuer, kid, alg, signer, uri, list, ttlSeconds: 300 } as const

  it('refuses bad issuer, kid, alg, uri, list and durations', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ issuer: 'https://not-a-did.example' }, 'invalid_options'],
      [{ kid: '' }, 'invalid_options'],
      [{ alg: 'HS256' }, 'unsupported_algorithm'],
      [{ alg: 'none' }, 'unsupported_algorithm'],
      [{ uri: 'ftp://x.example/l' }, 'invalid_options'],
      [{ list: Bitstring.create(MIN_LIST_ENTRIES) }, 'invalid_options'],
      [{ ttlSeconds: 0 }, 'invalid_options'],
      [{ ttlSeconds: 1.5 }, 'invalid_options'],
      [{ expiresInSeconds: -1 }, 'invalid_options'],
      [{ iat: new Date('nope') }, 'invalid_options'],
    ]
    for (const [patch, code] of cases) {
      expect(await rejectionCode(signTokenStatusListJwt({ ...base, ...patch } as never))).toBe(code)
    }
    const bitstring = {
      issuer,
      kid,
      alg,
      signer,
      format: 'jwt_vc',
      url: uri,
      purpose: 'revocation',
      list: Bitstring.create(MIN_LIST_ENTRIES),
      ttlMs: 1000,
    }
    const bitCases: [Record<string, unknown>, string][] = [
      [{ purpose: 'message' }, 'invalid_options'],
      [{ list }, 'invalid_options'],
      [{ ttlMs: 0 }, 'invalid_options'],
      [{ validFrom: iat, validUntil: iat }, 'invalid_options'],
      [{ url: `${uri}#x` }, 'invalid_options'],
      [{ format: 'vc' }, 'invalid_options'],
      [{ format: undefined }, 'invalid_options'],
    ]
    for (const [patch, code] of bitCases) {
      expect(
        await rejectionCode(signBitstringStatusListCredential({ ...bitstring, ...patch } as never)),
      ).toBe(code)
    }
  })
})
