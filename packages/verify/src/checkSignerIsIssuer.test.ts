import { describe, expect, it } from 'vitest'
import { checkSignerIsIssuer } from './checkSignerIsIssuer'

const iss = 'did:ethr:0x539:0x00000000000000000000000000000000000000aa'
const sub = 'did:ethr:0x539:0x00000000000000000000000000000000000000bb'
const other = 'did:ethr:0x539:0x00000000000000000000000000000000000000cc'

/** The options a JWT-VC gives: its iss, kid and sub, and the fields that name them again. */
const decoded = (patch: Record<string, unknown>, kid?: string) => {
  const payload: Record<string, unknown> = { iss, sub, vc: { credentialSubject: { id: sub } }, ...patch }
  const vc = payload.vc as Record<string, unknown>
  return {
    issuer: iss,
    kid,
    subject: sub,
    issuerFields: { 'vc.issuer': vc.issuer, issuer: payload.issuer },
    subjectFields: {
      'vc.credentialSubject': vc.credentialSubject,
      credentialSubject: payload.credentialSubject,
    },
  }
}

describe('checkSignerIsIssuer', () => {
  it('passes when issuer and subject fields agree with iss and sub', () => {
    expect(checkSignerIsIssuer(decoded({}))).toEqual({ ok: true, value: undefined })
    expect(checkSignerIsIssuer(decoded({ vc: { issuer: { id: iss } } }, `${iss}#controller`))).toEqual({
      ok: true,
      value: undefined,
    })
    expect(checkSignerIsIssuer(decoded({}, '#controller'))).toEqual({ ok: true, value: undefined })
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
    const result = checkSignerIsIssuer(decoded(payload))
    expect(result).toMatchObject({ ok: false, error: { code: 'issuer_mismatch' } })
  })

  it('fails when the header kid belongs to another DID', () => {
    const result = checkSignerIsIssuer(decoded({}, `${other}#controller`))
    expect(result).toMatchObject({ ok: false, error: { code: 'issuer_mismatch' } })
    expect(!result.ok && result.error.reason).toContain(other)
  })
})
