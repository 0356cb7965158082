import { describe, expect, it } from 'vitest'
import { addDays, dids, grantClaims, licenceClaims, patientClaims } from '../test/kits/claims'
import { buildCredential } from './build-credential'
import { checkCredential } from './check-credential'

const validFrom = new Date('2025-03-01T09:00:00Z')

function grant(): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(
      buildCredential({
        type: 'AccessGrantCredential',
        issuer: dids.patient,
        subject: dids.clinician,
        claims: grantClaims(),
        validFrom,
        validUntil: addDays(validFrom, 30),
      }),
    ),
  )
}

function issues(credential: unknown) {
  const result = checkCredential({ credential })
  return result.ok ? [] : result.error.map(({ path, code }) => ({ path, code }))
}

describe('checkCredential', () => {
  it('accepts a built credential and returns its type, claims and subject', () => {
    const result = checkCredential({ credential: grant() })
    expect(result).toEqual({
      ok: true,
      value: { type: 'AccessGrantCredential', claims: grantClaims(), subject: dids.clinician },
    })
    if (result.ok && result.value.type === 'AccessGrantCredential')
      expect(result.value.claims.scope).toHaveLength(2)
  })

  it('accepts each type, in the normalised did-jwt-vc shape', () => {
    const licence = buildCredential({
      type: 'ClinicianLicenseCredential',
      issuer: dids.board,
      subject: dids.clinician,
      claims: licenceClaims(),
      validFrom,
      validUntil: addDays(validFrom, 365),
    })
    const normalised = { ...licence, proof: { type: 'JwtProof2020', jwt: 'eyJ…' } }
    expect(checkCredential({ credential: normalised })).toMatchObject({
      ok: true,
      value: { type: 'ClinicianLicenseCredential' },
    })
    const patient = buildCredential({
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

  it('refuses unknown or extra types', () => {
    for (const type of [
      ['VerifiableCredential', 'UniversityDegreeCredential'],
      ['VerifiableCredential', 'AccessGrantCredential', 'ClinicianLicenseCredential'],
      ['VerifiableCredential'],
      ['AccessGrantCredential', 'AccessGrantCredential'],
      'AccessGrantCredential',
    ])
      expect(issues({ ...grant(), type })).toEqual([{ path: 'type', code: 'unknown_type' }])
  })

  it('refuses tampered claims with the path inside credentialSubject', () => {
    const credential = grant()
    const subject = credential.credentialSubject as Record<string, unknown>
    credential.credentialSubject = {
      ...subject,
      scope: ['patient/*.cruds', 'system/*.cruds'],
      purposeOfUse: 'HMARKT',
    }
    expect(issues(credential)).toEqual([{ path: 'credentialSubject.purposeOfUse', code: 'invalid_value' }])
    credential.credentialSubject = { ...subject, role: 'admin' }
    expect(issues(credential)).toEqual([{ path: 'credentialSubject.role', code: 'unknown_field' }])
  })

  it('refuses a subject without a DID, or several subjects', () => {
    const subject = grant().credentialSubject as Record<string, unknown>
    expect(issues({ ...grant(), credentialSubject: { ...subject, id: 'mailto:a@example.org' } })).toEqual([
      { path: 'credentialSubject.id', code: 'invalid_format' },
    ])
    expect(issues({ ...grant(), credentialSubject: [subject] })).toEqual([
      { path: 'credentialSubject', code: 'invalid_type' },
    ])
  })

  it('refuses a grant that breaks the validity policy', () => {
    const { expirationDate: _expirationDate, ...noExpiry } = grant()
    expect(issues(noExpiry)).toEqual([{ path: 'expirationDate', code: 'required' }])
    expect(issues({ ...grant(), expirationDate: '2025-12-31T00:00:00Z' })).toEqual([
      { path: 'expirationDate', code: 'out_of_range' },
    ])
    expect(issues({ ...grant(), issuanceDate: 'yesterday' })).toEqual([
      { path: 'issuanceDate', code: 'invalid_date' },
    ])
  })

  it('refuses a bad context or issuer, and non-objects', () => {
    expect(issues({ ...grant(), '@context': ['https://example.org/evil'] })).toEqual([
      { path: '@context', code: 'invalid_value' },
    ])
    expect(issues({ ...grant(), issuer: { id: 'Board of Medicine' } })).toEqual([
      { path: 'issuer.id', code: 'invalid_format' },
    ])
    expect(issues({ ...grant(), issuer: dids.patient })).toEqual([])
    expect(issues('eyJhbGciOi…')).toEqual([{ path: '(root)', code: 'invalid_type' }])
    expect(issues(null)).toEqual([{ path: '(root)', code: 'invalid_type' }])
  })
})
