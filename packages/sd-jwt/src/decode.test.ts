import { base64urlJson, MAX_SD_JWT_LENGTH } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { keyPair } from '../test/helpers'
import { encodeDisclosure } from '../test/tamper'
import { decodeSdJwtVc } from './decode'
import { issueRawSdJwt } from './issue-raw'

const issuer = keyPair('ES256K')
const iss = 'did:web:i.example'
const header = base64urlJson({ alg: 'ES256K', typ: 'dc+sd-jwt' })
const payload = base64urlJson({ iss })
const sig = 'A'.repeat(86) // 64 bytes; decoding does not verify it

const codeOf = (input: unknown) => {
  const result = decodeSdJwtVc(input)
  return result.ok ? 'ok' : result.error.code
}

describe('decodeSdJwtVc', () => {
  it('splits an SD-JWT into header, payload, disclosures and signing input', async () => {
    const sdJwt = await issueRawSdJwt({
      payload: { iss, a: 1, list: ['x', 'y'] },
      disclosureFrame: { _sd: ['a'], list: { _sd: [1] } },
      alg: 'ES256K',
      signer: issuer.signer,
      kid: `${iss}#k`,
    })
    const result = decodeSdJwtVc(sdJwt)
    if (!result.ok) throw new Error(result.error.reason)
    const decoded = result.value
    expect(decoded.header).toEqual({ typ: 'dc+sd-jwt', kid: `${iss}#k`, alg: 'ES256K' })
    expect(decoded.payload._sd).toHaveLength(1)
    expect(decoded.disclosures.map((d) => [d.name, d.value])).toEqual([
      [undefined, 'y'],
      ['a', 1],
    ])
    expect(decoded.disclosures.every((d) => d.digest.length === 43)).toBe(true)
    expect(decoded.keyBindingJwt).toBeUndefined()
    expect(sdJwt.startsWith(`${decoded.issuerSigningInput}.${decoded.issuerSignature}~`)).toBe(true)
    expect(decoded.sdHashInput).toBe(sdJwt)
    expect(codeOf(`${sdJwt}a.b.c`)).toBe('ok') // the KB-JWT is kept as received, decoded on its own
  })

  it('refuses anything odd as malformed', () => {
    const cases = [
      '',
      'abc',
      42,
      `${header}.${payload}.${sig}`,
      `${header}.${payload}~`,
      `${header}.${payload}.${sig}.x~`,
      `${header}.${base64urlJson([1])}.${sig}~`,
      `${base64urlJson('x')}.${payload}.${sig}~`,
      `${header}.${base64urlJson({ sub: 'x' })}.${sig}~`,
      `${header}.${base64urlJson({ iss: `${iss}#k` })}.${sig}~`,
      `${header}.${payload}.${sig}~~`,
      `${header}.${payload}.${sig}~${encodeDisclosure([1, 'a', 2])}~`,
      `${header}.${payload}.${sig}~${base64urlJson('abc')}~`,
      `${header}.${payload}.${sig}~${header}.${payload}~`,
      `${header}.${payload}.c2l+~`,
      `${header}.${payload}.c2ln~`,
      `${header}.${payload}.${sig}~${'A'.repeat(MAX_SD_JWT_LENGTH)}~`,
    ]
    for (const input of cases) expect(codeOf(input), String(input).slice(0, 60)).toBe('malformed')
  })

  it('refuses a header other than { alg, typ: "dc+sd-jwt", kid of iss }', () => {
    const withHeader = (h: Record<string, unknown>) => `${base64urlJson(h)}.${payload}.${sig}~`
    expect(codeOf(withHeader({ alg: 'none', typ: 'dc+sd-jwt' }))).toBe('unsupported_algorithm')
    expect(codeOf(withHeader({ alg: 'HS256', typ: 'dc+sd-jwt' }))).toBe('unsupported_algorithm')
    for (const h of [
      { alg: 'ES256K', typ: 'dc+sd-jwt', jku: 'https://evil.example/jwks' },
      { alg: 'ES256K', typ: 'vc+sd-jwt' },
      { alg: 'ES256K' },
      { alg: 'ES256K', typ: 'dc+sd-jwt', kid: 7 },
      { alg: 'ES256K', typ: 'dc+sd-jwt', kid: 'did:web:attacker.example#key-1' },
    ])
      expect(codeOf(withHeader(h)), JSON.stringify(h)).toBe('unexpected_header')
    expect(codeOf(withHeader({ alg: 'ES256', typ: 'dc+sd-jwt', kid: '#key-1' }))).toBe('ok')
  })

  it('refuses an _sd_alg other than sha-256 as disclosure_invalid', () => {
    const p = base64urlJson({ iss, _sd_alg: 'sha-512' })
    expect(codeOf(`${header}.${p}.${sig}~`)).toBe('disclosure_invalid')
  })
})
