import { describe, expect, it } from 'vitest'
import { checkValidityPeriod } from './checkValidityPeriod'
import type { JwtCredentialPayload } from './decodeJwtCredential'

const now = new Date('2030-06-01T12:00:00Z')
const t = now.getTime() / 1000
const iss = 'did:ethr:0x539:0x00000000000000000000000000000000000000aa'
const check = (
  claims: Record<string, unknown>,
  type: Parameters<typeof checkValidityPeriod>[0]['type'] = 'ClinicianLicenseCredential',
) =>
  checkValidityPeriod({
    payload: { iss, vc: {}, ...claims } as JwtCredentialPayload,
    type,
    now,
    clockSkewSeconds: 30,
  })

describe('checkValidityPeriod', () => {
  it('passes inside the window and reports it', () => {
    expect(check({ nbf: t - 3600, exp: t + 3600 })).toEqual({
      result: { passed: true },
      validFrom: '2030-06-01T11:00:00.000Z',
      validUntil: '2030-06-01T13:00:00.000Z',
    })
  })

  it('allows the clock skew at both ends, and no more', () => {
    expect(check({ nbf: t + 30, exp: t + 3600 }).result.passed).toBe(true)
    expect(check({ nbf: t + 31, exp: t + 3600 }).result).toMatchObject({ code: 'not_yet_valid' })
    expect(check({ nbf: t - 3600, exp: t - 29 }).result.passed).toBe(true)
    expect(check({ nbf: t - 3600, exp: t - 30 }).result).toMatchObject({ code: 'expired' })
  })

  it('requires an expiry on licences, grants and unknown types, not on patient identity', () => {
    expect(check({ nbf: t }).result).toMatchObject({ code: 'missing_expiry' })
    expect(check({ nbf: t }, 'AccessGrantCredential').result).toMatchObject({ code: 'missing_expiry' })
    expect(check({ nbf: t }, undefined).result).toMatchObject({ code: 'missing_expiry' })
    expect(check({ nbf: t }, 'PatientIdentityCredential').result).toEqual({ passed: true })
  })

  it('uses the tightest window when the VC dates and JWT claims disagree', () => {
    expect(
      check({ nbf: t - 7200, exp: t + 3600, vc: { expirationDate: '2030-06-01T11:00:00Z' } }).result,
    ).toMatchObject({
      code: 'expired',
    })
    expect(
      check({ nbf: t - 60, exp: t + 7 * 86400, vc: { issuanceDate: '2030-06-02T00:00:00Z' } }).result,
    ).toMatchObject({
      code: 'not_yet_valid',
    })
    expect(check({ iat: t + 3600, exp: t + 7200 }).result).toMatchObject({ code: 'not_yet_valid' })
  })

  it('accepts VC dates alone as the window', () => {
    expect(
      check({ issuanceDate: '2030-01-01T00:00:00Z', expirationDate: '2031-01-01T00:00:00Z' }).result,
    ).toEqual({
      passed: true,
    })
  })

  it('refuses unreadable or inverted dates as malformed', () => {
    expect(check({ exp: t + 60, vc: { issuanceDate: 'yesterday' } }).result).toMatchObject({
      code: 'malformed',
    })
    expect(check({ exp: t + 60, vc: { expirationDate: '2031-01-01' } }).result).toMatchObject({
      code: 'malformed',
    })
    expect(check({ exp: 1e20 }).result).toMatchObject({ code: 'malformed' })
    expect(check({ nbf: t + 60, exp: t - 60 }).result).toMatchObject({ code: 'malformed' })
  })
})
