import { describe, expect, it } from 'vitest'
import { checkSignerIsIssuer } from './checkSignerIsIssuer'
import type { DecodedJwtCredential } from './decodeJwtCredential'

const iss = 'did:ethr:0x539:0x00000000000000000000000000000000000000aa'
const sub = 'did:ethr:0x539:0x00000000000000000000000000000000000000bb'
const other = 'did:ethr:0x539:0x00000000000000000000000000000000000000cc'

const decoded = (payload: Record<string, unknown>, kid?: string): DecodedJwtCredential => ({
  header: { alg: 'ES256K', ...(kid ? { kid } : {}) },
  payload: {
    iss,
    sub,
    vc: { credentialSubject: { id: sub } },
    ...payload,
  } as DecodedJwtCredential['payload'],
})

describe('checkSignerIsIssuer', () => {
  it('passes when issuer and subject fields agree with iss and sub', () => {
    expect(checkSignerIsIssuer({ decoded: decoded({}) })).toEqual({ passed: true })
    expect(
      checkSignerIsIssuer({ decoded: decoded({ vc: { issuer: { id: iss } } }, `${iss}#controller`) }),
    ).toEqual({
      passed: true,
    })
    expect(checkSignerIsIssuer({ decoded: decoded({}, '#controller') })).toEqual({ passed: true })
  })

  it.each([
    ['vc.issuer string', { vc: { issuer: other } }],
    ['vc.issuer object', { vc: { issuer: { id: other } } }],
    ['vc.issuer without id', { vc: { issuer: { name: 'Board' } } }],
    ['top-level issuer', { issuer: other }],
    ['vc.credentialSubject.id', { vc: { credentialSubject: { id: other } } }],
    ['top-level credentialSubject.id', { credentialSubject: { id: other } }],
    ['credentialSubject array', { vc: { credentialSubject: [{ id: sub }] } }],
  ])('fails with issuer_mismatch on a differing %s', (_, payload) => {
    const result = checkSignerIsIssuer({ decoded: decoded(payload) })
    expect(result).toMatchObject({ passed: false, code: 'issuer_mismatch' })
  })

  it('fails when the header kid belongs to another DID', () => {
    const result = checkSignerIsIssuer({ decoded: decoded({}, `${other}#controller`) })
    expect(result).toMatchObject({ passed: false, code: 'issuer_mismatch' })
    expect(!result.passed && result.reason).toContain(other)
  })
})
