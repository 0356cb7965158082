import { describe, expect, it } from 'vitest'
import { addDays } from '../test/kits/claims'
import type { CredentialType } from './credential-types'
import { checkIssuancePeriod, checkValidityPeriod, MAX_VALIDITY_DAYS } from './validity-period'

const validFrom = new Date('2025-03-01T09:00:00Z')

function issues(type: CredentialType, validUntil?: Date, from: Date = validFrom) {
  const result = checkValidityPeriod({ type, validFrom: from, validUntil })
  return result.ok ? [] : result.error.map(({ path, code }) => ({ path, code }))
}

describe('checkValidityPeriod', () => {
  it('requires an expiry on licences and grants, not on patient identity', () => {
    expect(issues('ClinicianLicenseCredential')).toEqual([{ path: 'validUntil', code: 'required' }])
    expect(issues('AccessGrantCredential')).toEqual([{ path: 'validUntil', code: 'required' }])
    expect(issues('PatientIdentityCredential')).toEqual([])
  })

  it('allows a grant of exactly 90 days and refuses a longer one', () => {
    expect(issues('AccessGrantCredential', addDays(validFrom, 90))).toEqual([])
    expect(issues('AccessGrantCredential', new Date(addDays(validFrom, 90).getTime() + 1000))).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
    expect(issues('ClinicianLicenseCredential', addDays(validFrom, 3 * 365))).toEqual([])
  })

  it('requires validUntil after validFrom', () => {
    expect(issues('ClinicianLicenseCredential', validFrom)).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
    expect(issues('PatientIdentityCredential', addDays(validFrom, -1))).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
  })

  it('refuses invalid dates and unknown types', () => {
    expect(issues('AccessGrantCredential', new Date('nope'))).toEqual([
      { path: 'validUntil', code: 'invalid_date' },
    ])
    expect(issues('PatientIdentityCredential', undefined, new Date(Number.NaN))).toEqual([
      { path: 'validFrom', code: 'invalid_date' },
    ])
    expect(issues('PatientIdentityCredential', undefined, new Date('+010000-01-01T00:00:00Z'))).toEqual([
      { path: 'validFrom', code: 'out_of_range' },
    ])
    expect(issues('Other' as CredentialType)).toEqual([{ path: 'type', code: 'unknown_type' }])
  })
})

describe('checkIssuancePeriod (what an issuer may sign)', () => {
  const now = new Date('2026-12-01T10:00:00Z')
  const check = (type: CredentialType, validUntil: Date, from: Date = now) => {
    const r = checkIssuancePeriod({ type, validFrom: from, validUntil, now })
    return r.ok ? [] : r.error.map(({ path, code }) => ({ path, code }))
  }

  it('allows ten years for licences and identities, 90 days for grants, and no more', () => {
    expect(
      check('ClinicianLicenseCredential', addDays(now, MAX_VALIDITY_DAYS.ClinicianLicenseCredential)),
    ).toEqual([])
    expect(check('PatientIdentityCredential', addDays(now, 3653))).toEqual([])
    for (const type of ['ClinicianLicenseCredential', 'PatientIdentityCredential'] as const)
      expect(check(type, addDays(now, 3654))).toEqual([{ path: 'validUntil', code: 'out_of_range' }])
    expect(check('AccessGrantCredential', addDays(now, 91))).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
  })

  it('refuses year 9999 and beyond, a past expiry, and a start more than a year ahead', () => {
    expect(check('ClinicianLicenseCredential', new Date('9999-12-31T23:59:59Z'))).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
    expect(check('ClinicianLicenseCredential', new Date('+010000-01-01T00:00:00Z'))).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
    expect(check('ClinicianLicenseCredential', addDays(now, -1), addDays(now, -30))).toEqual([
      { path: 'validUntil', code: 'out_of_range' },
    ])
    expect(check('ClinicianLicenseCredential', addDays(now, 400), addDays(now, 366))).toEqual([
      { path: 'validFrom', code: 'out_of_range' },
    ])
    expect(check('ClinicianLicenseCredential', addDays(now, 400), addDays(now, 364))).toEqual([])
  })
})
