import { describe, expect, it } from 'vitest'
import { patientClaims } from '../test/kits/claims'
import { checkClaims } from './check-claims'
import { birthDateProblem } from './patient-identity'

function issues(claims: unknown) {
  const result = checkClaims({ type: 'PatientIdentityCredential', claims })
  return result.ok ? [] : result.error.map(({ path, code }) => ({ path, code }))
}

describe('PatientIdentityCredential claims', () => {
  it('accepts good claims, with or without the optional fields', () => {
    expect(issues(patientClaims())).toEqual([])
    const { insuranceMemberId: _id, address: _address, ...minimal } = patientClaims()
    expect(issues(minimal)).toEqual([])
  })

  it('refuses missing required fields', () => {
    const { identifier: _identifier, identityAssuranceLevel: _ial, ...claims } = patientClaims()
    expect(issues(claims)).toEqual([
      { path: 'identifier', code: 'required' },
      { path: 'identityAssuranceLevel', code: 'required' },
    ])
  })

  it('refuses a future birth date', () => {
    expect(issues({ ...patientClaims(), birthDate: '2999-01-01' })).toEqual([
      { path: 'birthDate', code: 'out_of_range' },
    ])
    const tomorrow = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10)
    expect(issues({ ...patientClaims(), birthDate: tomorrow })).toEqual([
      { path: 'birthDate', code: 'out_of_range' },
    ])
  })

  it('refuses a birth date before 1900', () => {
    expect(issues({ ...patientClaims(), birthDate: '1899-12-31' })).toEqual([
      { path: 'birthDate', code: 'out_of_range' },
    ])
    expect(issues({ ...patientClaims(), birthDate: '1900-01-01' })).toEqual([])
  })

  it('refuses dates that are not on the calendar', () => {
    for (const birthDate of ['2023-02-30', '2023-02-29', '2001-13-01', '2001-04-31', '2001-00-10'])
      expect(issues({ ...patientClaims(), birthDate })).toEqual([{ path: 'birthDate', code: 'invalid_date' }])
  })

  it('refuses badly formatted dates', () => {
    for (const birthDate of ['1984-2-29', '29/02/1984', '1984-02-29T00:00:00Z', '1984'])
      expect(issues({ ...patientClaims(), birthDate })[0]).toMatchObject({ path: 'birthDate' })
    expect(issues({ ...patientClaims(), birthDate: '1984-2-29' })).toEqual([
      { path: 'birthDate', code: 'invalid_format' },
    ])
  })

  it('allows today in time zones ahead of UTC', () => {
    const now = new Date('2025-06-01T20:00:00Z')
    expect(birthDateProblem('2025-06-02', now)).toBeUndefined()
    expect(birthDateProblem('2025-06-03', now)).toMatchObject({ code: 'out_of_range' })
  })

  it('refuses an unknown assurance level', () => {
    expect(issues({ ...patientClaims(), identityAssuranceLevel: 'IAL4' })).toEqual([
      { path: 'identityAssuranceLevel', code: 'invalid_value' },
    ])
  })

  it('refuses a bad address', () => {
    const address = { line: ['1 Main St'], country: 'USA', county: 'Cook' }
    expect(issues({ ...patientClaims(), address })).toEqual([
      { path: 'address.country', code: 'too_long' },
      { path: 'address.country', code: 'invalid_format' },
      { path: 'address.county', code: 'unknown_field' },
    ])
  })

  it('refuses a bad identifier', () => {
    const identifier = { system: 'urn:oid:1.2.3', value: 42 }
    expect(issues({ ...patientClaims(), identifier })).toEqual([
      { path: 'identifier.value', code: 'invalid_type' },
    ])
  })
})
