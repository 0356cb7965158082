import { describe, expect, it } from 'vitest'
import { licenceClaims } from '../test/kits/claims'
import { checkClaims } from './check-claims'

function issues(claims: unknown) {
  const result = checkClaims({ type: 'ClinicianLicenseCredential', claims })
  return result.ok ? [] : result.error.map(({ path, code }) => ({ path, code }))
}

describe('ClinicianLicenseCredential claims', () => {
  it('accepts good claims, with or without the optional fields', () => {
    expect(checkClaims({ type: 'ClinicianLicenseCredential', claims: licenceClaims() })).toEqual({
      ok: true,
      value: licenceClaims(),
    })
    const { npi: _npi, ...withoutNpi } = licenceClaims()
    expect(issues(withoutNpi)).toEqual([])
  })

  it('refuses a missing required field with code required', () => {
    const { licenseNumber: _licenseNumber, ...claims } = licenceClaims()
    expect(issues(claims)).toEqual([{ path: 'licenseNumber', code: 'required' }])
    expect(issues({ ...licenceClaims(), name: { given: ['Ada'] } })).toEqual([
      { path: 'name.family', code: 'required' },
    ])
  })

  it('refuses a wrong type', () => {
    expect(issues({ ...licenceClaims(), licenseNumber: 123456 })).toEqual([
      { path: 'licenseNumber', code: 'invalid_type' },
    ])
    expect(
      issues({ ...licenceClaims(), specialty: { system: 'http://snomed.info/sct', code: '1' } }),
    ).toEqual([{ path: 'specialty', code: 'invalid_type' }])
  })

  it('refuses bad formats', () => {
    expect(issues({ ...licenceClaims(), jurisdiction: 'California' })).toEqual([
      { path: 'jurisdiction', code: 'too_long' },
      { path: 'jurisdiction', code: 'invalid_format' },
    ])
    expect(issues({ ...licenceClaims(), jurisdiction: 'us-ca' })).toEqual([
      { path: 'jurisdiction', code: 'invalid_format' },
    ])
    expect(issues({ ...licenceClaims(), licenseNumber: 'A 123' })).toEqual([
      { path: 'licenseNumber', code: 'invalid_format' },
    ])
    const profession = { ...licenceClaims().profession, system: 'not a uri' }
    expect(issues({ ...licenceClaims(), profession })).toEqual([
      { path: 'profession.system', code: 'invalid_format' },
    ])
  })

  it('accepts other ISO 3166-2 subdivisions', () => {
    for (const jurisdiction of ['GB-ENG', 'DE-BY', 'FR-75'])
      expect(issues({ ...licenceClaims(), jurisdiction })).toEqual([])
  })

  it('refuses unknown fields, at any depth', () => {
    expect(issues({ ...licenceClaims(), id: 'did:web:x.example', admin: true })).toEqual([
      { path: 'id', code: 'unknown_field' },
      { path: 'admin', code: 'unknown_field' },
    ])
    const specialty = [{ ...licenceClaims().specialty[0], version: '1' }]
    expect(issues({ ...licenceClaims(), specialty })).toEqual([
      { path: 'specialty.0.version', code: 'unknown_field' },
    ])
  })

  it('refuses too long strings and arrays', () => {
    expect(issues({ ...licenceClaims(), licenseNumber: 'A'.repeat(65) })).toEqual([
      { path: 'licenseNumber', code: 'too_long' },
    ])
    const name = { family: 'Okafor', given: ['Ada', 'B'.repeat(65)] }
    expect(issues({ ...licenceClaims(), name })).toEqual([{ path: 'name.given.1', code: 'too_long' }])
    const specialty = Array.from({ length: 17 }, () => licenceClaims().specialty[0])
    expect(issues({ ...licenceClaims(), specialty })).toEqual([{ path: 'specialty', code: 'too_long' }])
  })

  it('refuses empty names, empty given and empty specialty', () => {
    expect(issues({ ...licenceClaims(), name: { family: '', given: [] } })).toEqual([
      { path: 'name.family', code: 'too_short' },
      { path: 'name.given', code: 'too_short' },
    ])
    expect(issues({ ...licenceClaims(), specialty: [] })).toEqual([{ path: 'specialty', code: 'too_short' }])
  })

  it('refuses control characters in text', () => {
    const name = { family: 'Okafor\u0000', given: ['Ada'] }
    expect(issues({ ...licenceClaims(), name })).toEqual([{ path: 'name.family', code: 'invalid_format' }])
  })

  it('refuses an NPI with a bad check digit, or not 10 digits', () => {
    expect(issues({ ...licenceClaims(), npi: '1234567890' })).toEqual([
      { path: 'npi', code: 'invalid_check_digit' },
    ])
    expect(issues({ ...licenceClaims(), npi: '12345' })).toEqual([{ path: 'npi', code: 'invalid_format' }])
  })

  it('refuses a non-object', () => {
    expect(issues('Dr Ada')).toEqual([{ path: '(root)', code: 'invalid_type' }])
    expect(issues(undefined)).toEqual([{ path: '(root)', code: 'required' }])
  })

  it('never repeats the claim value in a message', () => {
    const result = checkClaims({
      type: 'ClinicianLicenseCredential',
      claims: { ...licenceClaims(), npi: '9999999999' },
    })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(JSON.stringify(result.error)).not.toContain('9999999999')
  })
})
