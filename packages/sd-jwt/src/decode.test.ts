import { base64urlJson } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { keyPair } from '../test/helpers'
import { encodeDisclosure } from '../test/tamper'
import { decodeSdJwtVc, MAX_SD_JWT_LENGTH } from './decode'
import { SdJwtError } from './errors'
import { issueRawSdJwt } from './issue-raw'

const issuer = keyPair('ES256K')
const header = base64urlJson({ alg: 'ES256K', typ: 'dc+sd-jwt' })
const payload = base64urlJson({ iss: 'did:web:i.example' })

function decodeError(input: string): SdJwtError {
  try {
    decodeSdJwtVc(input)
  } catch (e) {
    expect(e).toBeInstanceOf(SdJwtError)
    return e as SdJwtError
  }
  throw new Error('decoded')
}

describe('decodeSdJwtVc', () => {
  it('splits an SD-JWT into header, payload, disclosures and signing input', async () => {
    const sdJwt = await issueRawSdJwt({
      payload: { iss: 'did:web:i.example', a: 1, list: ['x', 'y'] },
      disclosureFrame: { _sd: ['a'], list: { _sd: [1] } },
      alg: 'ES256K',
      signer: issuer.signer,
      kid: 'did:web:i.example#k',
    })
    const decoded = decodeSdJwtVc(sdJwt)
    expect(decoded.header).toEqual({ typ: 'dc+sd-jwt', kid: 'did:web:i.example#k', alg: 'ES256K' })
    expect(decoded.payload._sd).toHaveLength(1)
    expect(decoded.disclosures.map((d) => [d.name, d.value])).toEqual([
      [undefined, 'y'],
      ['a', 1],
    ])
    expect(decoded.disclosures.every((d) => d.digest.length === 43)).toBe(true)
    expect(decoded.keyBindingJwt).toBeUndefined()
    expect(sdJwt.startsWith(`${decoded.issuerSigningInput}.${decoded.issuerSignature}~`)).toBe(true)
    expect(decoded.sdHashInput).toBe(sdJwt)
  })

  it('throws malformed on anything odd', () => {
    const cases = [
      '',
      'abc',
      `${header}.${payload}.c2ln`,
      `${header}.${payload}~`,
      `${header}.${payload}.c2ln.x~`,
      `${header}.${base64urlJson([1])}.c2ln~`,
      `${base64urlJson('x')}.${payload}.c2ln~`,
      `${header}.${base64urlJson({ sub: 'x' })}.c2ln~`,
      `${header}.${payload}.c2ln~~`,
      `${header}.${payload}.c2ln~${encodeDisclosure([1, 'a', 2])}~`,
      `${header}.${payload}.c2ln~${base64urlJson('abc')}~`,
      `${header}.${payload}.c2ln~${header}.${payload}~`,
      `${header}.${payload}.c2l+~`,
      `${header}.${payload}.c2ln~${'A'.repeat(MAX_SD_JWT_LENGTH)}~`,
    ]
    for (const input of cases) expect(decodeError(input).code, input.slice(0, 60)).toBe('malformed')
  })

  it('throws disclosure_invalid for an _sd_alg other than sha-256', () => {
    const p = base64urlJson({ iss: 'did:web:i.example', _sd_alg: 'sha-512' })
    expect(decodeError(`${header}.${p}.c2ln~`).code).toBe('disclosure_invalid')
  })
})
