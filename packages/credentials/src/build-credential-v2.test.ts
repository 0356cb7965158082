import { describe, expect, it } from 'vitest'
import { addDays, dids, licenceClaims, patientClaims } from '../test/kits/claims'
import { buildCredential } from './build-credential'
import { buildCredentialV2 } from './build-credential-v2'
import { checkCredential } from './check-credential'
import { CredentialClaimsError } from './errors'

const validFrom = new Date('2025-03-01T09:00:00.789Z')
const entry = {
  id: 'https://agent.example/v1/status-lists/g/revocation#7',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '7',
  statusListCredential: 'https://agent.example/v1/status-lists/g/revocation',
}
const licence = {
  type: 'ClinicianLicenseCredential',
  issuer: dids.board,
  subject: dids.clinician,
  claims: licenceClaims(),
  validFrom,
  validUntil: addDays(validFrom, 365),
} as const

function issues(credential: unknown) {
  const result = checkCredential({ credential })
  return result.ok ? [] : result.error.map(({ path, code }) => ({ path, code }))
}

describe('buildCredentialV2', () => {
  it('builds a VC Data Model 2.0 credential: v2 context, issuer DID, validFrom and validUntil', () => {
    expect(buildCredentialV2({ ...licence, id: 'urn:uuid:1', credentialStatus: [entry] })).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
      id: 'urn:uuid:1',
      issuer: dids.board,
      validFrom: '2025-03-01T09:00:00Z',
      validUntil: '2026-03-01T09:00:00Z',
      credentialSubject: { id: dids.clinician, ...licenceClaims() },
      credentialStatus: [entry],
    })
  })

  it('checks what buildCredential checks, and the status entries', () => {
    expect(() => buildCredentialV2({ ...licence, issuer: 'board' })).toThrow(CredentialClaimsError)
    expect(() => buildCredentialV2({ ...licence, credentialStatus: [{} as never] })).toThrow(
      CredentialClaimsError,
    )
  })
})

describe('buildCredential with Bitstring Status List entries', () => {
  it('adds the status list context, which defines BitstringStatusListEntry for VC 1.1', () => {
    const credential = buildCredential({ ...licence, credentialStatus: [entry] })
    expect(credential['@context']).toEqual([
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/status/v1',
    ])
    expect(credential.credentialStatus).toEqual([entry])
    expect(checkCredential({ credential })).toMatchObject({ ok: true })
  })
})

describe('checkCredential, both data models', () => {
  const v1 = () => JSON.parse(JSON.stringify(buildCredential({ ...licence, credentialStatus: [entry] })))
  const v2 = () => JSON.parse(JSON.stringify(buildCredentialV2({ ...licence, credentialStatus: [entry] })))

  it('accepts each', () => {
    expect(issues(v1())).toEqual([])
    expect(issues(v2())).toEqual([])
    const patient = buildCredentialV2({
      type: 'PatientIdentityCredential',
      issuer: dids.hospital,
      subject: dids.patient,
      claims: patientClaims(),
      validFrom,
    })
    expect(checkCredential({ credential: patient })).toMatchObject({
      ok: true,
      value: { subject: dids.patient },
    })
  })

  it('refuses a 1.1 credential using a Bitstring Status List without its context', () => {
    expect(issues({ ...v1(), '@context': ['https://www.w3.org/2018/credentials/v1'] })).toEqual([
      { path: '@context', code: 'invalid_value' },
    ])
  })

  it('refuses mixing: both base contexts, or the other model’s validity properties', () => {
    const both = ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/2018/credentials/v1']
    expect(issues({ ...v2(), '@context': both })).toEqual([{ path: '@context', code: 'invalid_value' }])
    expect(issues({ ...v1(), '@context': [...both].reverse() })).toEqual([
      { path: '@context', code: 'invalid_value' },
    ])
    expect(issues({ ...v1(), validFrom: v1().issuanceDate })).toEqual([
      { path: 'validFrom', code: 'unknown_field' },
    ])
    expect(issues({ ...v2(), expirationDate: v2().validUntil })).toEqual([
      { path: 'expirationDate', code: 'unknown_field' },
    ])
    const { issuanceDate, ...noIssuance } = v1()
    expect(issues({ ...noIssuance, validFrom: issuanceDate })).toEqual([
      { path: 'validFrom', code: 'unknown_field' },
      { path: 'issuanceDate', code: 'required' },
    ])
  })

  it('applies the validity policy to validFrom and validUntil in 2.0', () => {
    const { validUntil: _validUntil, ...noExpiry } = v2()
    expect(issues(noExpiry)).toEqual([{ path: 'validUntil', code: 'required' }])
    expect(issues({ ...v2(), validFrom: 'yesterday' })).toEqual([{ path: 'validFrom', code: 'invalid_date' }])
  })
})
