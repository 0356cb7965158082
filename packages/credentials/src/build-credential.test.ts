import { describe, expect, it } from 'vitest'
import { addDays, dids, grantClaims, licenceClaims, patientClaims } from '../test/kits/claims'
import { buildCredential } from './build-credential'
import { CredentialClaimsError } from './errors'

const validFrom = new Date('2025-03-01T09:00:00.789Z')

function caught(run: () => unknown): CredentialClaimsError {
  try {
    run()
  } catch (error) {
    if (error instanceof CredentialClaimsError) return error
    throw error
  }
  throw new Error('expected a CredentialClaimsError')
}

describe('buildCredential', () => {
  it('builds a W3C VC 1.1 credential', () => {
    const credential = buildCredential({
      type: 'ClinicianLicenseCredential',
      issuer: dids.board,
      subject: dids.clinician,
      claims: licenceClaims(),
      validFrom,
      validUntil: addDays(validFrom, 365),
      id: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    })
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
      id: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      issuer: { id: dids.board },
      issuanceDate: '2025-03-01T09:00:00Z',
      expirationDate: '2026-03-01T09:00:00Z',
      credentialSubject: { id: dids.clinician, ...licenceClaims() },
    })
  })

  it('leaves out id and expirationDate when not given', () => {
    const credential = buildCredential({
      type: 'PatientIdentityCredential',
      issuer: dids.hospital,
      subject: dids.patient,
      claims: patientClaims(),
      validFrom,
    })
    expect(Object.keys(credential).sort()).toEqual([
      '@context',
      'credentialSubject',
      'issuanceDate',
      'issuer',
      'type',
    ])
  })

  it('throws CredentialClaimsError naming each bad field', () => {
    const error = caught(() =>
      buildCredential({
        type: 'AccessGrantCredential',
        issuer: dids.patient,
        subject: 'clinician@example.org',
        claims: { ...grantClaims(), purposeOfUse: 'MARKETING' as 'TREAT' },
        validFrom,
        validUntil: addDays(validFrom, 91),
      }),
    )
    expect(error.code).toBe('invalid_claims')
    expect(error.name).toBe('CredentialClaimsError')
    expect(error.issues.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'subject', code: 'invalid_format' },
      { path: 'validUntil', code: 'out_of_range' },
      { path: 'purposeOfUse', code: 'invalid_value' },
    ])
    expect(error.message).toMatchInlineSnapshot(
      `"Bad credential field "subject" (invalid_format): Must be a DID such as "did:ethr:0x…" (no fragment or path). (and 2 more)"`,
    )
  })

  it('refuses a licence without validUntil', () => {
    const error = caught(() =>
      buildCredential({
        type: 'ClinicianLicenseCredential',
        issuer: dids.board,
        subject: dids.clinician,
        claims: licenceClaims(),
        validFrom,
      }),
    )
    expect(error.issues).toMatchObject([{ path: 'validUntil', code: 'required' }])
  })

  it('refuses a non-DID issuer or a bad id', () => {
    const error = caught(() =>
      buildCredential({
        type: 'PatientIdentityCredential',
        issuer: 'https://hospital.example.org',
        subject: dids.patient,
        claims: patientClaims(),
        validFrom,
        id: 'not a uri',
      }),
    )
    expect(error.issues).toMatchObject([
      { path: 'issuer', code: 'invalid_format' },
      { path: 'id', code: 'invalid_format' },
    ])
  })

  it('refuses a claims object smuggling its own subject id', () => {
    const claims = { ...grantClaims(), id: dids.hospital }
    const error = caught(() =>
      buildCredential({
        type: 'AccessGrantCredential',
        issuer: dids.patient,
        subject: dids.clinician,
        claims,
        validFrom,
        validUntil: addDays(validFrom, 7),
      }),
    )
    expect(error.issues).toMatchObject([{ path: 'id', code: 'unknown_field' }])
  })
})
